"""The customer agreement: reading it, accepting it, and a new version asking again."""

import pytest
from django.conf import settings

from agreements import selectors, services
from agreements.models import AgreementAcceptance, AgreementVersion
from audit.models import AuditEvent
from core.errors import PermissionDenied
from relationships import selectors as partner_selectors
from relationships.models import PartnerRelationship
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def agreement_url(tenant):
    return f"/api/v1/tenants/{tenant.pk}/agreement"


def accept(api_as, user, tenant, **body):
    body.setdefault("version", "1.0")
    body.setdefault("attest", True)
    return api_as(user).post(agreement_url(tenant) + "/accept", body, format="json")


@pytest.fixture
def staff(db):
    """Support staff allowed to publish agreement versions."""
    from django.contrib.auth.models import Permission

    user = UserFactory(email="sam@support.example", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_agreementversion"))
    return user


def new_version(version="2.0"):
    return AgreementVersion.objects.create(
        version=version, title="Liaison Customer Agreement", body="New terms.\n\nMore terms."
    )


def test_default_version_is_published_by_the_migration():
    current = selectors.current_version()

    assert current is not None
    assert current.version == "1.0" and current.is_published


def test_admin_reads_the_agreement_not_yet_accepted(api_as, customer_admin, customer):
    response = api_as(customer_admin).get(agreement_url(customer))

    assert response.status_code == 200
    body = response.json()
    assert set(body["version"]) >= {"version", "title", "url", "published_at"}
    assert body["version"]["version"] == "1.0"
    assert body["version"]["url"] == settings.SITE_URL + "/agreements/1.0/"
    assert body["version"]["published_at"]
    assert body["accepted"] is False
    assert body["acceptance"] is None


def test_billing_admin_accepts_the_agreement(api_as, billing_admin, customer):
    response = accept(api_as, billing_admin, customer)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["accepted"] is True
    assert body["acceptance"]["accepted_by"]["email"] == billing_admin.email
    assert body["acceptance"]["accepted_at"]
    acceptance = AgreementAcceptance.objects.get()
    assert acceptance.tenant == customer
    assert acceptance.email == billing_admin.email
    assert "1.0" in acceptance.attestation
    assert [e.action for e in AuditEvent.objects.all()] == ["agreement.accepted"]
    assert api_as(billing_admin).get(agreement_url(customer)).json()["accepted"] is True


@pytest.mark.parametrize("attest", [False, None, "missing"])
def test_accepting_needs_the_attestation(api_as, customer_admin, customer, attest):
    body = {"version": "1.0"}
    if attest != "missing":
        body["attest"] = attest

    response = api_as(customer_admin).post(agreement_url(customer) + "/accept", body, format="json")

    assert response.status_code == 400
    assert not AgreementAcceptance.objects.exists()


def test_accepting_a_version_that_is_not_current_is_refused(api_as, customer_admin, customer):
    response = accept(api_as, customer_admin, customer, version="0.9")

    assert response.status_code == 400
    assert "version" in response.json()["errors"]
    assert not AgreementAcceptance.objects.exists()


def test_plain_member_cannot_accept_the_agreement(api_as, plain_member, customer):
    response = accept(api_as, plain_member, customer)

    assert response.status_code == 403
    assert not AgreementAcceptance.objects.exists()


def test_plain_member_cannot_read_the_agreement_state(api_as, plain_member, customer):
    assert api_as(plain_member).get(agreement_url(customer)).status_code == 403


def test_outsider_gets_404(api_as, outsider_admin, customer):
    assert api_as(outsider_admin).get(agreement_url(customer)).status_code == 404
    assert accept(api_as, outsider_admin, customer).status_code == 404


def test_signed_out_gets_401(api, customer):
    assert api.get(agreement_url(customer)).status_code == 401


def test_second_acceptance_is_idempotent(api_as, customer_admin, billing_admin, customer):
    assert accept(api_as, customer_admin, customer).status_code == 200

    response = accept(api_as, billing_admin, customer)

    assert response.status_code == 200
    assert response.json()["acceptance"]["accepted_by"]["email"] == customer_admin.email
    assert AgreementAcceptance.objects.count() == 1
    assert AuditEvent.objects.filter(action="agreement.accepted").count() == 1


def test_new_version_asks_for_acceptance_again(
    api_as, customer_admin, customer, partner_tenant, staff
):
    PartnerRelationship.objects.create(customer=customer, partner=partner_tenant, types=["isv"])
    assert accept(api_as, customer_admin, customer).status_code == 200
    assert partner_selectors.needs_agreement(customer) is False
    draft = new_version()
    assert selectors.current_version().version == "1.0"  # a draft changes nothing

    services.publish_version(by=staff, version_id=draft.pk)

    body = api_as(customer_admin).get(agreement_url(customer)).json()
    assert body["version"]["version"] == "2.0"
    assert body["accepted"] is False and body["acceptance"] is None
    assert partner_selectors.needs_agreement(customer) is True
    assert accept(api_as, customer_admin, customer, version="1.0").status_code == 400
    assert accept(api_as, customer_admin, customer, version="2.0").status_code == 200
    assert partner_selectors.needs_agreement(customer) is False
    assert [e.action for e in AuditEvent.objects.order_by("occurred_at")] == [
        "agreement.accepted",
        "agreement.published",
        "agreement.accepted",
    ]


def test_tenant_without_partner_does_not_need_the_agreement(customer):
    assert partner_selectors.needs_agreement(customer) is False


def test_publishing_twice_is_one_event(staff):
    draft = new_version()

    services.publish_version(by=staff, version_id=draft.pk)
    services.publish_version(by=staff, version_id=draft.pk)

    assert AuditEvent.objects.filter(action="agreement.published").count() == 1


def test_only_support_staff_publish(customer_admin):
    draft = new_version()

    with pytest.raises(PermissionDenied):
        services.publish_version(by=customer_admin, version_id=draft.pk)

    draft.refresh_from_db()
    assert not draft.is_published


def test_version_without_text_cannot_be_published(staff):
    from core.errors import ValidationError

    empty = AgreementVersion.objects.create(version="3.0", title="Empty")

    with pytest.raises(ValidationError):
        services.publish_version(by=staff, version_id=empty.pk)


def test_acceptance_is_never_edited(api_as, customer_admin, customer):
    accept(api_as, customer_admin, customer)
    acceptance = AgreementAcceptance.objects.get()

    with pytest.raises(ValueError):
        acceptance.save()


def test_published_text_is_rendered_publicly(client):
    response = client.get("/agreements/1.0/")

    assert response.status_code == 200
    assert client.get("/agreements/9.9/").status_code == 404


def test_agreement_admin_publishes_a_version(client_as, staff):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="view_agreementversion"))
    draft = new_version()

    response = client_as(staff).post(
        "/admin/agreements/agreementversion/",
        {"action": "publish", "_selected_action": [str(draft.pk)]},
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    assert [e.action for e in AuditEvent.objects.all()] == ["agreement.published"]
    assert AuditEvent.objects.get().actor_kind == "staff"


def test_partner_with_delegated_global_admin_cannot_accept_for_the_customer(
    api_as, customer, partner_tenant, partner_agent
):
    from tests.gdap_factories import grant

    grant(partner_tenant, customer, partner_agent, "Global Administrator")

    response = api_as(partner_agent).post(
        f"/api/v1/tenants/{customer.pk}/agreement/accept", {"version": "1.0", "attest": True}
    )

    assert response.status_code == 403
