"""Idempotency-Key on the POSTs that change state: a retry replays the first answer and
changes nothing; the same key with another body is a 422 (issue 13).

Also: an acceptance whose answer cannot be read is undone, never reported as failed after
its commit (the retry then succeeds instead of meeting a 409).
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone

from audit.models import AuditEvent
from core.models import IdempotencyKey
from relationships.models import AccessAssignment, Invitation
from tests.factories import SecurityGroupFactory
from tests.openapi import assert_conforms
from tests.relationships import conftest as relationship_fixtures
from tests.relationships.conftest import HELPDESK, client_for, gdap_of, token_of

pytestmark = pytest.mark.django_db

# Contoso listed, its invitations, Fabrikam's acceptance (tests/relationships' fixtures).
partner_profile = relationship_fixtures.partner_profile
send = relationship_fixtures.send
sent = relationship_fixtures.sent
accept = relationship_fixtures.accept
accepted = relationship_fixtures.accepted


def invite(api, tenant, key, **body):
    body.setdefault("email", "alice@fabrikam.example")
    body.setdefault("relationship_types", ["reseller"])
    return api.post(
        f"/api/v1/tenants/{tenant.pk}/invitations",
        body,
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_a_retried_invitation_is_sent_once(partner_admin, partner_tenant, partner_profile):
    api = client_for(partner_admin)

    first = invite(api, partner_tenant, "key-1")
    again = invite(api, partner_tenant, "key-1")

    assert first.status_code == 201, first.json()
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Invitation.objects.count() == 1
    assert AuditEvent.objects.filter(action="invitation.sent").count() == 1
    # The link carries a token shown once: Liaison keeps it only masked.
    assert token_of(first) not in again.json()["approval_url"]
    assert token_of(first) not in str(IdempotencyKey.objects.get().body)
    assert_conforms(first)


def test_the_same_key_with_another_body_is_a_422(partner_admin, partner_tenant, partner_profile):
    api = client_for(partner_admin)
    assert invite(api, partner_tenant, "key-1").status_code == 201

    response = invite(api, partner_tenant, "key-1", email="bob@fabrikam.example")

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Invitation.objects.count() == 1
    assert_conforms(response)


def test_keys_belong_to_their_caller(partner_admin, partner_tenant, partner_profile):
    from tests.factories import member

    colleague = member(partner_tenant, "Global Administrator", email="sam@contoso.example")

    invite(client_for(partner_admin), partner_tenant, "shared-key")
    other = invite(client_for(colleague), partner_tenant, "shared-key")

    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other
    assert Invitation.objects.count() == 2


def test_without_a_key_a_retry_runs_again(partner_admin, partner_tenant, partner_profile):
    api = client_for(partner_admin)
    body = {"email": "alice@fabrikam.example", "relationship_types": ["reseller"]}
    url = f"/api/v1/tenants/{partner_tenant.pk}/invitations"

    api.post(url, body, format="json")
    api.post(url, body, format="json")

    assert Invitation.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


def test_an_error_is_not_kept_and_the_retry_runs_again(
    partner_admin, partner_tenant, partner_profile
):
    api = client_for(partner_admin)
    bad = invite(api, partner_tenant, "key-1", relationship_types=["nonsense"])
    assert bad.status_code == 400

    assert not IdempotencyKey.objects.exists()


def test_a_key_expires_after_a_day(partner_admin, partner_tenant, partner_profile):
    api = client_for(partner_admin)
    invite(api, partner_tenant, "key-1")

    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        later = invite(api, partner_tenant, "key-1")
        assert call_command("purge_idempotency_keys") is None

    assert later.status_code == 201
    assert "Idempotent-Replayed" not in later
    assert Invitation.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1  # the new one; the purge left it


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve", "tab\tkey"])
def test_a_malformed_key_is_a_400(partner_admin, partner_tenant, partner_profile, key):
    response = invite(client_for(partner_admin), partner_tenant, key)

    assert response.status_code == 400
    assert response.json()["errors"] == {"Idempotency-Key": ["Not a valid key."]}
    assert not Invitation.objects.exists()


def test_a_retried_acceptance_replays_instead_of_a_409(sent, customer, customer_admin):
    token = sent(customer_tenant_id=str(customer.pk))
    api = client_for(customer_admin)
    body = {"tenant_id": str(customer.pk), "accept_agreement": True}
    url = f"/api/v1/invitations/{token}/accept"

    first = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="accept-1")
    again = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="accept-1")
    unkeyed = api.post(url, body, format="json")

    assert first.status_code == 200, first.json()
    assert (again.status_code, again.json()) == (200, first.json())
    assert unkeyed.status_code == 409
    assert AuditEvent.objects.filter(action="invitation.accepted").count() == 1
    assert_conforms(again)


def test_a_retried_decline_replays(sent, customer, customer_admin):
    token = sent(customer_tenant_id=str(customer.pk))
    api = client_for(customer_admin)
    url = f"/api/v1/invitations/{token}/decline"
    body = {"tenant_id": str(customer.pk)}

    first = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="d-1")
    again = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="d-1")

    assert first.status_code == 200, first.json()
    assert (again.status_code, again.json()) == (200, first.json())
    assert AuditEvent.objects.filter(action="invitation.declined").count() == 1


@pytest.mark.parametrize("key", [{"HTTP_IDEMPOTENCY_KEY": "a-1"}, {}], ids=["keyed", "unkeyed"])
def test_a_failing_read_after_the_acceptance_undoes_it(
    key, sent, customer, customer_admin, monkeypatch
):
    """Issue 13: the acceptance committed, then reading the answer failed: a 500, and the
    retry met a 409. Now the answer is read inside the transaction."""
    from relationships import selectors

    token = sent(customer_tenant_id=str(customer.pk))
    api = client_for(customer_admin)
    body = {"tenant_id": str(customer.pk), "accept_agreement": True}
    url = f"/api/v1/invitations/{token}/accept"
    real = selectors.get_partner_relationship_or_404

    def flaky(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "get_partner_relationship_or_404", flaky)
    failed = api.post(url, body, format="json", **key)
    monkeypatch.setattr(selectors, "get_partner_relationship_or_404", real)
    retried = api.post(url, body, format="json", **key)

    assert failed.status_code == 503
    assert failed.json()["code"] == "service_unavailable"
    assert failed["Retry-After"]
    assert retried.status_code == 200, retried.json()
    assert Invitation.objects.get().status == Invitation.Status.ACCEPTED
    assert AuditEvent.objects.filter(action="invitation.accepted").count() == 1


def test_retried_gdap_requests_and_assignments_replay(
    accepted, customer, customer_admin, partner_admin, partner_tenant
):
    rel = gdap_of(accepted)
    group = SecurityGroupFactory(tenant=partner_tenant, name="Helpdesk agents")
    partner = client_for(partner_admin)
    url = f"/api/v1/tenants/{partner_tenant.pk}/delegated-admin-relationships/{rel.pk}"
    body = {
        "access_container": {
            "access_container_id": str(group.pk),
            "access_container_type": "securityGroup",
        },
        "access_details": {"unified_roles": [{"role_definition_id": HELPDESK}]},
    }

    first = partner.post(f"{url}/access-assignments", body, format="json", HTTP_IDEMPOTENCY_KEY="a")
    again = partner.post(f"{url}/access-assignments", body, format="json", HTTP_IDEMPOTENCY_KEY="a")

    assert first.status_code == 201, first.json()
    assert (again.status_code, again.json()["id"]) == (201, first.json()["id"])
    assert AccessAssignment.objects.filter(relationship=rel).count() == 1
    assert_conforms(again)

    customer_api = client_for(customer_admin)
    ends = f"/api/v1/tenants/{customer.pk}/delegated-admin-relationships/{rel.pk}/requests"
    end = customer_api.post(ends, {"action": "terminate"}, format="json", HTTP_IDEMPOTENCY_KEY="t")
    end_again = customer_api.post(
        ends, {"action": "terminate"}, format="json", HTTP_IDEMPOTENCY_KEY="t"
    )

    assert end.status_code == 201, end.json()
    assert (end_again.status_code, end_again.json()) == (201, end.json())
    assert AuditEvent.objects.filter(action="gdap.terminated").count() == 1


def test_the_schema_declares_the_header(api_as, customer_admin):
    schema = api_as(customer_admin).get("/api/v1/schema/?format=json").json()
    post = schema["paths"]["/api/v1/invitations/{token}/accept"]["post"]

    names = [p["name"] for p in post["parameters"] if p["in"] == "header"]
    assert "Idempotency-Key" in names
    assert "422" in post["responses"]


@pytest.mark.postgres
def test_parallel_retries_with_one_key_run_once(
    postgres_transactional, partner_admin, partner_tenant, partner_profile, monkeypatch
):
    """Five copies of one POST at once (a client retrying on a timeout): one runs, the
    others wait for its commit and replay it."""
    import threading
    import time

    from django.db import connection

    from relationships import services

    slow = services.send_invitation

    def send_slowly(**kwargs):
        time.sleep(0.3)  # the first holds its transaction open while the copies arrive
        return slow(**kwargs)

    monkeypatch.setattr(services, "send_invitation", send_slowly)
    barrier = threading.Barrier(5)
    answers = []

    def post():
        try:
            api = client_for(partner_admin)
            barrier.wait(timeout=20)
            response = invite(api, partner_tenant, "same-key")
            answers.append((response.status_code, response.json()["id"]))
        except Exception as exc:
            answers.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(set(answers)) == 1, answers
    assert answers[0][0] == 201
    assert Invitation.objects.count() == 1
    assert AuditEvent.objects.filter(action="invitation.sent").count() == 1


def test_the_purge_task_deletes_expired_keys(partner_admin, partner_tenant, partner_profile):
    from core.tasks import purge_idempotency_keys

    invite(client_for(partner_admin), partner_tenant, "key-1")

    assert purge_idempotency_keys.delay().get() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert purge_idempotency_keys.delay().get() == 1
    assert not IdempotencyKey.objects.exists()


def test_a_retried_gdap_relationship_is_created_once(
    partner_admin, partner_tenant, partner_profile, customer
):
    api = client_for(partner_admin)
    url = f"/api/v1/tenants/{partner_tenant.pk}/delegated-admin-relationships"
    body = {
        "display_name": "Contoso helpdesk",
        "duration": "P90D",
        "customer": {"tenant_id": str(customer.pk)},
        "access_details": {"unified_roles": [{"role_definition_id": HELPDESK}]},
    }

    first = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="rel-1")
    again = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="rel-1")

    assert first.status_code == 201, first.json()
    assert (again.status_code, again.json()) == (201, first.json())
    assert AuditEvent.objects.filter(action="gdap.created").count() == 1
