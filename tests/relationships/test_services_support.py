"""Support staff in Django admin (resend, cancel, end types, resolve), and the beat job."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import PermissionDenied
from relationships import services
from relationships.models import (
    DelegatedAdminRelationship,
    EndRequest,
    Invitation,
    PartnerRelationship,
)
from relationships.tokens import hash_token
from tests.partners.conftest import support_staff  # noqa: F401 (fixture)
from tests.relationships.conftest import client_for, gdap_part, token_of

pytestmark = pytest.mark.django_db

INVITATIONS = "/admin/relationships/invitation/"
RELATIONSHIPS = "/admin/relationships/partnerrelationship/"
END_REQUESTS = "/admin/relationships/endrequest/"


def act(client, changelist, action, *objs):
    """Run a changelist action the way support staff do: past its confirmation page."""
    return client.post(
        changelist,
        {"action": action, "_selected_action": [str(o.pk) for o in objs], "confirm": "yes"},
    )


def staff_events():
    return list(AuditEvent.objects.filter(actor_kind="staff").order_by("occurred_at"))


def test_support_agent_sees_the_changelists(client_as, support_staff, accepted):  # noqa: F811
    client = client_as(support_staff)
    for changelist in (INVITATIONS, RELATIONSHIPS, END_REQUESTS):
        assert client.get(changelist).status_code == 200, changelist
    invitation = Invitation.objects.get()
    page = client.get(f"{INVITATIONS}{invitation.pk}/change/")
    assert page.status_code == 200
    assert invitation.token_hash not in page.content.decode()


def test_support_agent_resends_an_invitation(
    client_as,
    support_staff,  # noqa: F811
    send,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    created = send()
    old = token_of(created)
    invitation = Invitation.objects.get()

    with (
        time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = act(client_as(support_staff), INVITATIONS, "resend", invitation)

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.resent_count == 1
    assert invitation.token_hash != hash_token(old)
    (event,) = staff_events()
    assert event.action == "invitation.resent"
    assert event.actor == support_staff
    assert event.acting_tenant_id == invitation.partner_id
    (mail,) = mailoutbox
    assert mail.to == ["alice@fabrikam.example"]
    assert settings.SITE_URL + "/invitations/" in mail.body


def test_support_resend_is_rate_limited_too(client_as, support_staff, send):  # noqa: F811
    send()

    response = act(client_as(support_staff), INVITATIONS, "resend", Invitation.objects.get())

    assert response.status_code == 302
    assert Invitation.objects.get().resent_count == 0
    assert staff_events() == []


def test_support_agent_cancels_an_invitation(
    client_as,
    support_staff,  # noqa: F811
    sent,
    accept,
    customer,
    customer_admin,
):
    token = sent(relationship_types=["gdap"], gdap=gdap_part())
    invitation = Invitation.objects.get()

    response = act(client_as(support_staff), INVITATIONS, "cancel", invitation)

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.CANCELLED
    assert invitation.gdap_relationship.status == DelegatedAdminRelationship.Status.EXPIRED
    assert [e.action for e in staff_events()] == ["invitation.cancelled"]
    assert accept(token, customer_admin, customer).status_code == 409
    # cancelling again changes nothing and writes nothing
    act(client_as(support_staff), INVITATIONS, "cancel", invitation)
    assert len(staff_events()) == 1


def test_support_agent_ends_a_type_on_the_customers_request(
    client_as,
    support_staff,  # noqa: F811
    accepted,
    customer,
    customer_admin,
    partner_tenant,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    end_request = services.request_end(
        by=customer_admin, customer=customer, partner_id=partner_tenant.pk
    )
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = act(client_as(support_staff), RELATIONSHIPS, "end_gdap", accepted)

    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.types == ["reseller"]
    assert DelegatedAdminRelationship.objects.get().status == "terminated"
    end_request.refresh_from_db()
    assert end_request.status == EndRequest.Status.RESOLVED
    (event,) = staff_events()
    assert event.action == "relationship.types_ended"
    assert event.after["by"] == "support" and event.after["ended"] == ["gdap"]
    assert [m.to for m in mailoutbox] == [[customer_admin.email]]


def test_ending_a_type_not_in_force_changes_nothing(
    client_as,
    support_staff,  # noqa: F811
    accepted,
):
    response = act(client_as(support_staff), RELATIONSHIPS, "end_oem", accepted)

    assert response.status_code == 302
    assert PartnerRelationship.objects.get().types == ["gdap", "reseller"]
    assert staff_events() == []


def test_support_agent_resolves_a_request_to_end(
    client_as,
    support_staff,  # noqa: F811
    accepted,
    customer,
    customer_admin,
    partner_tenant,
):
    end_request = services.request_end(
        by=customer_admin, customer=customer, partner_id=partner_tenant.pk
    )

    for _ in range(2):
        assert (
            act(client_as(support_staff), END_REQUESTS, "resolve", end_request).status_code == 302
        )

    end_request.refresh_from_db()
    assert end_request.status == EndRequest.Status.RESOLVED
    assert end_request.resolved_by == support_staff
    assert [e.action for e in staff_events()] == ["relationship.end_request_resolved"]


def test_staff_without_the_permission_cannot_act(customer_admin, sent, accepted):
    sent()
    invitation = Invitation.objects.get(status="pending")

    with pytest.raises(PermissionDenied):
        services.cancel_invitation_as_support(by=customer_admin, invitation_id=invitation.pk)
    with pytest.raises(PermissionDenied):
        services.end_relationship_types_for_customer(
            by=customer_admin, relationship_id=accepted.pk, codes=["reseller"]
        )


def test_customer_admin_cannot_reach_the_admin(client_as, customer_admin, accepted):
    response = client_as(customer_admin).get(INVITATIONS)

    assert response.status_code == 302  # to the admin login


# The beat job ------------------------------------------------------------------------------


def test_beat_schedule_runs_the_expiry_job():
    entry = settings.CELERY_BEAT_SCHEDULE["expire-invitations"]

    assert entry["task"] == "relationships.tasks.expire_invitations"
    assert entry["schedule"] == timedelta(minutes=15)


def test_expire_invitations_task_is_idempotent(sent):
    from config.celery_app import app
    from relationships.tasks import expire_invitations

    assert "relationships.tasks.expire_invitations" in app.tasks
    sent()
    sent()

    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        first = expire_invitations.delay().get()
        second = expire_invitations.delay().get()

    assert (first, second) == (2, 0)
    assert set(Invitation.objects.values_list("status", flat=True)) == {"expired"}
    assert AuditEvent.objects.filter(action="invitation.expired").count() == 2


def test_expire_invitations_works_in_batches(sent):
    from relationships.tasks import expire_invitations

    for _ in range(3):
        sent()

    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        assert expire_invitations(batch_size=2) == 3

    assert not Invitation.objects.filter(status="pending").exists()


def test_expired_invitation_cannot_be_resent(sent, partner_admin, partner_tenant):
    sent()
    invitation = Invitation.objects.get()

    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        services.expire_stale()
        response = client_for(partner_admin).post(
            f"/api/v1/tenants/{partner_tenant.pk}/invitations/{invitation.pk}/resend"
        )

    assert response.status_code == 409


def test_every_beat_entry_names_a_task_the_workers_know():
    from config.celery_app import app

    app.loader.import_default_modules()
    unknown = {
        name: entry["task"]
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"] not in app.tasks
    }
    assert not unknown
    assert "purge-idempotency-keys" in settings.CELERY_BEAT_SCHEDULE
