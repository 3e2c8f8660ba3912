"""Support staff re-queue pending, failed and dead-lettered mail from Django admin; the act
is audited once, and a requeued mail is retried again for the full period."""

import pytest

from audit.models import AuditEvent
from notifications.models import OutboxMessage
from tests.factories import UserFactory


@pytest.mark.parametrize("status", ["pending", "failed", "dead"])
def test_staff_requeue_sends_waiting_mail_and_is_audited(
    client, db, mailoutbox, django_capture_on_commit_callbacks, status
):
    staff = UserFactory(email="sam@support.example", is_staff=True, is_superuser=True)
    message = OutboxMessage.objects.create(
        to="x@example.com",
        template="t",
        language="en",
        subject="Hi",
        body_text="Hello",
        status=status,
        last_error="TimeoutError: timed out",
    )
    sent = OutboxMessage.objects.create(
        to="y@example.com",
        template="t",
        language="en",
        subject="Hi",
        body_text="Hello",
        status="sent",
    )
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/notifications/outboxmessage/",
            {
                "action": "requeue",
                "_selected_action": [str(message.pk), str(sent.pk)],
                "confirm": "yes",
            },
        )

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == "sent"
    assert message.give_up_at is None
    assert [m.to for m in mailoutbox] == [["x@example.com"]]
    event = AuditEvent.objects.get(action="outbox.requeued")
    assert event.actor == staff and event.actor_kind == "staff"
    assert event.after == {"messages": 1}


def test_the_admin_lists_dead_letters_with_their_error(admin_client, db):
    OutboxMessage.objects.create(
        to="x@example.com",
        template="t",
        language="en",
        subject="Hi",
        body_text="Hello",
        status="dead",
        last_error="SMTPRecipientsRefused: 550 no such user",
    )

    page = admin_client.get("/admin/notifications/outboxmessage/?status__exact=dead")

    assert page.status_code == 200
    assert "550 no such user" in page.content.decode()
