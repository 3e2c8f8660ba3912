"""Support staff re-queue pending mail from Django admin; the act is audited once."""

from audit.models import AuditEvent
from notifications.models import OutboxMessage
from tests.factories import UserFactory


def test_staff_requeue_sends_pending_mail_and_is_audited(client, db, mailoutbox):
    staff = UserFactory(email="sam@support.example", is_staff=True, is_superuser=True)
    message = OutboxMessage.objects.create(
        to="x@example.com", template="t", language="en", subject="Hi", body_text="Hello"
    )
    client.force_login(staff)

    response = client.post(
        "/admin/notifications/outboxmessage/",
        {"action": "requeue", "_selected_action": [str(message.pk)], "confirm": "yes"},
    )

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == "sent"
    assert len(mailoutbox) == 1
    event = AuditEvent.objects.get(action="outbox.requeued")
    assert event.actor == staff and event.actor_kind == "staff"
