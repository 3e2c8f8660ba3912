"""Support services: one audit event per change, mail to the other support.manage holders."""

import pytest

from audit.models import AuditEvent
from core.errors import InvalidState, NotFound, PermissionDenied, ValidationError
from notifications.models import OutboxMessage
from support import services
from support.models import SupportRequest
from tests.factories import member

pytestmark = pytest.mark.django_db


def only_event() -> AuditEvent:
    events = list(AuditEvent.objects.all())
    assert len(events) == 1, [e.action for e in events]
    return events[0]


def test_opening_records_one_event_and_mails_the_other_support_admins(
    customer, customer_admin, plain_member, django_capture_on_commit_callbacks, mailoutbox
):
    helpdesk = member(customer, "Helpdesk Administrator", email="hd@fabrikam.example")
    member(customer, "Billing Administrator", email="money@fabrikam.example")

    with django_capture_on_commit_callbacks(execute=True):
        created = services.create_request(
            by=customer_admin,
            tenant=customer,
            title="  VPN down ",
            description="Nobody can connect.",
            severity="high",
        )

    assert created.title == "VPN down"
    event = only_event()
    assert event.action == "support_request.created"
    assert event.actor == customer_admin
    assert event.target_tenant == customer
    assert event.object_id == str(created.pk)
    assert event.after == {"title": "VPN down", "severity": "high", "status": "open"}
    # Helpdesk holds support.manage; the actor, billing and the plain member do not get it.
    assert [m.to[0] for m in mailoutbox] == [helpdesk.email]
    mail = mailoutbox[0]
    assert "VPN down" in mail.subject
    assert "Fabrikam" in mail.subject
    assert f"/t/{customer.pk}/support/{created.pk}/" in mail.body


def test_commenting_records_one_event_and_mails_the_others(
    customer, customer_admin, django_capture_on_commit_callbacks, mailoutbox
):
    helpdesk = member(customer, "Helpdesk Administrator", email="hd@fabrikam.example")
    support_request = SupportRequest.objects.create(
        tenant=customer, title="T", description="D", created_by=customer_admin
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(
            by=helpdesk, tenant=customer, request_id=support_request.pk, body="On it."
        )

    assert only_event().action == "support_request.commented"
    assert [m.to[0] for m in mailoutbox] == [customer_admin.email]
    assert "On it." in mailoutbox[0].body
    assert OutboxMessage.objects.get().template == "support_request_commented"


def test_close_records_who_and_when(customer, customer_admin):
    support_request = SupportRequest.objects.create(
        tenant=customer, title="T", description="D", created_by=customer_admin
    )

    services.close_request(by=customer_admin, tenant=customer, request_id=support_request.pk)

    support_request.refresh_from_db()
    assert support_request.status == "closed"
    assert support_request.closed_by == customer_admin
    assert support_request.closed_at is not None
    event = only_event()
    assert (event.before, event.after) == ({"status": "open"}, {"status": "closed"})


def test_reopen_clears_the_closing(customer, customer_admin):
    support_request = SupportRequest.objects.create(
        tenant=customer, title="T", description="D", created_by=customer_admin
    )
    services.close_request(by=customer_admin, tenant=customer, request_id=support_request.pk)

    services.reopen_request(by=customer_admin, tenant=customer, request_id=support_request.pk)

    support_request.refresh_from_db()
    assert support_request.status == "open"
    assert support_request.closed_at is None
    assert support_request.closed_by is None


@pytest.mark.parametrize(
    ("status", "service"),
    [("closed", services.close_request), ("open", services.reopen_request)],
)
def test_moves_the_table_does_not_allow_are_refused(customer, customer_admin, status, service):
    support_request = SupportRequest.objects.create(
        tenant=customer, title="T", description="D", created_by=customer_admin, status=status
    )

    with pytest.raises(InvalidState):
        service(by=customer_admin, tenant=customer, request_id=support_request.pk)

    assert not AuditEvent.objects.exists()


def test_plain_member_may_not_open(customer, plain_member):
    with pytest.raises(PermissionDenied):
        services.create_request(by=plain_member, tenant=customer, title="T", description="D")

    assert not SupportRequest.objects.exists()
    assert not AuditEvent.objects.exists()


def test_outsider_gets_not_found(customer, outsider_admin):
    with pytest.raises(NotFound):
        services.create_request(by=outsider_admin, tenant=customer, title="T", description="D")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": "", "description": "D"}, "title"),
        ({"title": "T" * 201, "description": "D"}, "title"),
        ({"title": "T", "description": " "}, "description"),
        ({"title": "T", "description": "D", "severity": "urgent"}, "severity"),
    ],
)
def test_bad_input_is_refused_with_field_errors(customer, customer_admin, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        services.create_request(by=customer_admin, tenant=customer, **kwargs)

    assert field in exc.value.errors
    assert not SupportRequest.objects.exists()
    assert not AuditEvent.objects.exists()
