"""The outbox: rendered with the change, sent after commit, retried with backoff for a day
and a half, then dead-lettered; a duplicate after a crash carries the same Message-ID."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from notifications import services
from notifications.models import OutboxMessage
from notifications.tasks import deliver_outbox, flush_outbox
from tests.mail_contexts import GDAP_NOTICE

CONTEXT = {
    "tenant_name": "Fabrikam",
    "inviter": "Alice",
    "email": "dave@fabrikam.example",
    "set_password_url": "http://testserver/accounts/password/reset/key/x-y/",
    "tenant_url": "http://testserver/t/1/",
}
NOTICE = GDAP_NOTICE


def queue(template="member_invited", language="en", to="dave@fabrikam.example", **extra):
    return services.queue_mail(
        to=to, template=template, context={**CONTEXT, **extra}, language=language
    )


def fail_first(times=1, exc=None):
    """Patch the mail backend so its first `times` sends raise, then it works."""
    real = EmailBackend.send_messages
    calls = {"n": 0}

    def send_messages(self, messages):
        calls["n"] += 1
        if calls["n"] <= times:
            raise exc or ConnectionRefusedError("SMTP server down")
        return real(self, messages)

    return mock.patch.object(EmailBackend, "send_messages", send_messages)


def later(seconds):
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


def test_mail_is_sent_after_commit_with_its_message_id(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
        assert mailoutbox == []

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.leased_until is None
    assert [m.to for m in mailoutbox] == [["dave@fabrikam.example"]]
    assert message.message_id == f"<{message.pk.hex}@liaison.local>"
    assert mailoutbox[0].message()["Message-ID"] == message.message_id


def test_one_transaction_asks_for_one_drain(db, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(deliver_outbox, "apply_async") as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        for n in range(5):
            queue(to=f"u{n}@fabrikam.example")
        services.queue_notices(
            template="gdap_expired",
            notices=[("x@fabrikam.example", "en", NOTICE)],
        )

    assert publish.call_count == 1


def test_a_failed_send_waits_a_minute_then_goes_out_once(db, mailoutbox):
    message = queue()
    with fail_first(times=1):
        assert services.deliver()["retry"] == 1

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 1)
    assert "SMTP server down" in message.last_error
    assert 55 <= (message.next_attempt_at - timezone.now()).total_seconds() <= 61
    assert services.deliver()["sent"] == 0  # not due yet
    with later(61):
        assert services.deliver()["sent"] == 1
        assert services.deliver()["sent"] == 0

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 2)
    assert len(mailoutbox) == 1


def test_retries_back_off_for_a_day_and_a_half_then_the_mail_is_dead_lettered(
    db, mailoutbox, settings
):
    message = queue()
    start = timezone.now()
    gaps = []
    with fail_first(times=10_000):
        at = start
        while True:
            with time_machine.travel(at, tick=False):
                services.deliver()
            message.refresh_from_db()
            if message.status != OutboxMessage.Status.PENDING:
                break
            gaps.append(round((message.next_attempt_at - at).total_seconds()))
            at = message.next_attempt_at

    assert gaps[:8] == [60, 60, 120, 240, 480, 960, 1920, 3840]
    assert max(gaps) == 7200
    assert message.status == OutboxMessage.Status.DEAD
    assert "SMTP server down" in message.last_error
    assert timedelta(hours=36) <= at - start <= timedelta(hours=38)
    assert message.attempts == len(gaps) + 1
    assert services.outbox_health()["dead"] == 1
    assert mailoutbox == []


def test_a_permanent_refusal_is_dead_lettered_at_once(db, mailoutbox):
    message = queue()
    refused = smtplib.SMTPRecipientsRefused({"dave@fabrikam.example": (550, b"no such user")})
    with fail_first(times=1, exc=refused):
        assert services.deliver()["dead"] == 1

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DEAD
    assert "550" in message.last_error


def test_one_refused_recipient_does_not_hold_up_the_batch(db, mailoutbox):
    first = queue(to="a@fabrikam.example")
    queue(to="b@fabrikam.example")
    refused = smtplib.SMTPRecipientsRefused({"a@fabrikam.example": (450, b"mailbox busy")})
    with fail_first(times=1, exc=refused):
        counts = services.deliver()

    assert counts["sent"] == 1 and counts["retry"] == 1
    first.refresh_from_db()
    assert first.status == OutboxMessage.Status.PENDING
    assert [m.to for m in mailoutbox] == [["b@fabrikam.example"]]


def test_a_mail_that_fails_to_render_does_not_hold_up_the_others(db, mailoutbox):
    services.queue_notices(
        template="no_such_template",
        notices=[("broken@fabrikam.example", "en", NOTICE)],
    )
    services.queue_notices(
        template="gdap_expired", notices=[("fine@fabrikam.example", "en", NOTICE)]
    )

    counts = services.deliver()

    assert (counts["sent"], counts["retry"]) == (1, 1)
    assert [m.to for m in mailoutbox] == [["fine@fabrikam.example"]]
    broken = OutboxMessage.objects.get(to="broken@fabrikam.example")
    assert "TemplateDoesNotExist" in broken.last_error


def test_a_server_that_breaks_off_fails_the_batch_and_ends_the_drain(db, mailoutbox):
    for n in range(3):
        queue(to=f"u{n}@fabrikam.example")
    with fail_first(times=1):
        counts = services.deliver()

    assert counts == {"sent": 0, "retry": 3, "dead": 0, "released": 0}
    assert mailoutbox == []


def test_a_batch_goes_over_one_connection(db, mailoutbox, settings):
    settings.OUTBOX_BATCH_SIZE = 10
    services.queue_notices(
        template="gdap_expired",
        notices=[(f"u{n}@fabrikam.example", "en", NOTICE) for n in range(25)],
    )
    opened = []
    real = services.delivery.get_connection

    def counting(*args, **kwargs):
        opened.append(1)
        return real(*args, **kwargs)

    with mock.patch.object(services.delivery, "get_connection", counting):
        assert services.deliver()["sent"] == 25

    assert len(opened) == 1
    assert len(mailoutbox) == 25
    ids = {m.message()["Message-ID"] for m in mailoutbox}
    assert ids == set(OutboxMessage.objects.values_list("message_id", flat=True))
    assert len(ids) == 25


def test_a_claimed_mail_is_not_sent_twice_until_its_lease_lapses(db, mailoutbox, settings):
    message = queue()
    (claimed,) = services.claim()  # a worker claims it, then dies before sending

    assert services.deliver()["sent"] == 0
    with later(settings.OUTBOX_LEASE_SECONDS + 1):
        assert services.deliver()["sent"] == 1

    message.refresh_from_db()
    assert message.attempts == 2
    assert mailoutbox[0].message()["Message-ID"] == claimed.message_id == message.message_id


def test_rows_written_without_a_message_id_get_one_before_the_first_send(db, mailoutbox):
    row = OutboxMessage.objects.create(
        to="x@example.com", template="t", language="en", subject="Hi", body_text="Hello"
    )
    assert row.message_id == ""

    services.deliver()

    row.refresh_from_db()
    assert row.message_id == f"<{row.pk.hex}@liaison.local>"
    assert mailoutbox[0].message()["Message-ID"] == row.message_id


def test_task_run_twice_sends_once(db, mailoutbox):
    message = queue()

    first = deliver_outbox.apply(args=[[str(message.pk)]])
    second = deliver_outbox.apply(args=[[str(message.pk)]])

    assert (first.get()["sent"], second.get()["sent"]) == (1, 0)
    assert len(mailoutbox) == 1


def test_sending_an_unknown_message_does_nothing(db, mailoutbox):
    assert services.deliver(ids=["00000000-0000-0000-0000-000000000000"])["sent"] == 0
    assert mailoutbox == []


def test_beat_job_drains_the_outbox(db, mailoutbox):
    queue()
    queue(to="b@fabrikam.example")

    assert flush_outbox.apply().get()["sent"] == 2
    assert len(mailoutbox) == 2


def test_broker_outage_leaves_the_message_pending_for_the_beat_drain(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    with (
        mock.patch.object(deliver_outbox, "apply_async", side_effect=OSError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = queue()

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 0)
    assert flush_outbox.apply().get()["sent"] == 1


def test_kick_reports_a_broker_outage(db):
    with mock.patch.object(deliver_outbox, "apply_async", side_effect=OSError("down")):
        assert services.kick() is False


def test_outbox_health_counts_waiting_and_dead_mail(db):
    assert services.outbox_health() == {"queued": 0, "oldest_queued_seconds": 0.0, "dead": 0}
    with time_machine.travel(timezone.now() - timedelta(minutes=5)):
        queue()
    queue()
    OutboxMessage.objects.create(
        to="x@example.com",
        template="t",
        language="en",
        subject="s",
        body_text="b",
        status=OutboxMessage.Status.DEAD,
    )

    health = services.outbox_health()
    assert health["queued"] == 2 and health["dead"] == 1
    assert 299 <= health["oldest_queued_seconds"] <= 310


# Rendering -------------------------------------------------------------------------------


def test_mail_has_a_text_and_an_html_part(db, mailoutbox):
    queue()
    services.deliver()

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
