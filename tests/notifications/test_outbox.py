"""The outbox: rendered with the change, sent after commit, once, retried on failure."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from notifications import services
from notifications.models import OutboxMessage
from notifications.tasks import flush_outbox, send_outbox_message

CONTEXT = {
    "tenant_name": "Fabrikam",
    "inviter": "Alice",
    "email": "dave@fabrikam.example",
    "set_password_url": "http://testserver/accounts/password/reset/key/x-y/",
    "tenant_url": "http://testserver/t/1/",
}


def queue(template="member_invited", language="en", to="dave@fabrikam.example", **extra):
    return services.queue_mail(
        to=to, template=template, context={**CONTEXT, **extra}, language=language
    )


def fail_first(times=1):
    """Patch the mail backend so its first `times` sends raise, then it works."""
    real = EmailBackend.send_messages
    calls = {"n": 0}

    def send_messages(self, messages):
        calls["n"] += 1
        if calls["n"] <= times:
            raise ConnectionRefusedError("SMTP server down")
        return real(self, messages)

    return mock.patch.object(EmailBackend, "send_messages", send_messages)


@pytest.fixture
def eager_retries():
    """Eager tasks retry in process only when their errors do not propagate (as a worker)."""
    from config.celery_app import app

    old = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = old


def test_mail_is_sent_after_commit(db, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
        assert mailoutbox == []

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert [m.to for m in mailoutbox] == [["dave@fabrikam.example"]]


def test_failing_send_is_retried_and_sent_exactly_once(
    db, eager_retries, django_capture_on_commit_callbacks, mailoutbox
):
    with fail_first(times=1), django_capture_on_commit_callbacks(execute=True):
        message = queue()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 2
    assert message.last_error == ""
    assert len(mailoutbox) == 1


def test_failed_send_is_picked_up_by_the_flush_and_sent_once(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    with fail_first(times=1), django_capture_on_commit_callbacks(execute=True):
        message = queue()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 1)

    assert services.flush_pending(older_than=timedelta(0)) == 1
    assert services.flush_pending(older_than=timedelta(0)) == 0

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 2)
    assert len(mailoutbox) == 1


def test_failed_attempt_is_recorded(db, mailoutbox):
    message = queue()

    with fail_first(times=1), pytest.raises(ConnectionRefusedError):
        services.send_message(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert "SMTP server down" in message.last_error
    assert mailoutbox == []


def test_message_that_keeps_failing_is_marked_failed(
    db, eager_retries, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.OUTBOX_MAX_ATTEMPTS = 3

    with fail_first(times=100), django_capture_on_commit_callbacks(execute=True):
        message = queue()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 3
    assert mailoutbox == []


def test_sending_twice_sends_once(db, mailoutbox):
    message = queue()

    assert services.send_message(message_id=message.pk) is True
    assert services.send_message(message_id=message.pk) is False

    message.refresh_from_db()
    assert message.attempts == 1
    assert len(mailoutbox) == 1


def test_task_run_twice_sends_once(db, mailoutbox):
    message = queue()

    first = send_outbox_message.apply(args=[str(message.pk)])
    second = send_outbox_message.apply(args=[str(message.pk)])

    assert (first.get(), second.get()) == (True, False)
    assert len(mailoutbox) == 1


def test_sending_an_unknown_message_does_nothing(db, mailoutbox):
    assert services.send_message(message_id="00000000-0000-0000-0000-000000000000") is False
    assert mailoutbox == []


def test_flush_requeues_only_old_pending_messages(db, mailoutbox):
    with time_machine.travel(timezone.now() - timedelta(minutes=5)):
        old = queue(to="old@fabrikam.example")
        sent = queue(to="sent@fabrikam.example")
    services.send_message(message_id=sent.pk)
    mailoutbox.clear()
    fresh = queue(to="fresh@fabrikam.example")

    assert services.flush_pending() == 1

    assert [m.to for m in mailoutbox] == [["old@fabrikam.example"]]
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == OutboxMessage.Status.SENT
    assert fresh.status == OutboxMessage.Status.PENDING


def test_flush_with_no_age_requeues_every_pending_message(db, mailoutbox):
    queue(to="a@fabrikam.example")
    queue(to="b@fabrikam.example")

    assert services.flush_pending(older_than=timedelta(0)) == 2

    assert sorted(m.to[0] for m in mailoutbox) == ["a@fabrikam.example", "b@fabrikam.example"]
    assert services.flush_pending(older_than=timedelta(0)) == 0


def test_beat_job_flushes_the_outbox(db, mailoutbox):
    with time_machine.travel(timezone.now() - timedelta(minutes=5)):
        queue()

    assert flush_outbox.apply().get() == 1
    assert len(mailoutbox) == 1


def test_broker_outage_leaves_the_message_pending(db, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(send_outbox_message, "apply_async", side_effect=OSError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = queue()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 0


def test_enqueue_reports_a_broker_outage(db):
    with mock.patch.object(send_outbox_message, "apply_async", side_effect=OSError("down")):
        assert services.enqueue_send("00000000-0000-0000-0000-000000000000") is False


# Rendering -------------------------------------------------------------------------------


def test_mail_has_a_text_and_an_html_part(db, mailoutbox):
    message = queue()
    services.send_message(message_id=message.pk)

    mail = mailoutbox[0]
    assert "Alice added you (dave@fabrikam.example) to Fabrikam on Liaison." in mail.body
    assert CONTEXT["set_password_url"] in mail.body
    assert "<" not in mail.body
    [(html, mimetype)] = mail.alternatives
    assert mimetype == "text/html"
    assert "<strong>Fabrikam</strong>" in html
    assert f'href="{CONTEXT["set_password_url"]}"' in html
    assert mail.subject == "You have been added to Fabrikam"


def test_text_parts_are_not_html_escaped_and_html_is(db):
    message = queue(tenant_name="Smith & Sons <Ltd>")

    assert message.subject == "You have been added to Smith & Sons <Ltd>"
    assert "to Smith & Sons <Ltd> on Liaison" in message.body_text
    assert "Smith &amp; Sons &lt;Ltd&gt;" in message.body_html
    assert "<Ltd>" not in message.body_html


@pytest.mark.parametrize("template", ["member_invited", "membership_invitation"])
@pytest.mark.parametrize("language", ["en", "de"])
def test_member_mails_render_in_each_language(db, template, language):
    message = queue(template=template, language=language)

    assert message.language == language
    assert message.template == template
    assert "Fabrikam" in message.subject
    assert "Fabrikam" in message.body_text
    assert "Fabrikam" in message.body_html
    assert f'<html lang="{language}">' in message.body_html


def test_language_defaults_to_the_active_one(db):
    from django.utils import translation

    with translation.override("de"):
        message = services.queue_mail(
            to="x@fabrikam.example", template="membership_invitation", context=CONTEXT
        )

    assert message.language == "de"


def test_member_mail_in_german_reads_german(db):
    english = queue(template="member_invited", language="en")
    german = queue(template="member_invited", language="de")

    assert german.subject != english.subject
    assert "Sie" in german.body_text
