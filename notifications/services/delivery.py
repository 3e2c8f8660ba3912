"""Sending: claim due rows, send them over one SMTP connection, record what happened, retry
with backoff, dead-letter, requeue. notifications.services has the whole picture."""

import contextlib
import logging
import smtplib
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import CharField, Count, F, Min, Q, Value
from django.db.models.functions import Cast, Concat, Replace
from django.utils import timezone

from audit.services import record
from core import access
from notifications.models import OutboxMessage
from notifications.services.outbox import (
    _from_json,
    _redact,
    kick_on_commit,
    message_id_domain,
    message_id_for,
    render,
)

log = logging.getLogger(__name__)


# Sending ---------------------------------------------------------------------------------

# The server refused this one message (the connection is still good): record it on the
# row and go on with the batch. Anything else means the server is unreachable or broken.
MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
    ValueError,
    UnicodeError,
)


def _due():
    return OutboxMessage.objects.filter(
        status=OutboxMessage.Status.PENDING, next_attempt_at__lte=timezone.now()
    )


def claim(*, ids=None, limit: int | None = None) -> list[OutboxMessage]:
    """Take up to `limit` due rows for this worker and commit the claim (a lease).

    On PostgreSQL the rows are locked with SKIP LOCKED while the lease is written, so two
    workers never take the same row; the lease moves the row's next attempt past its end,
    so it is not due again unless the worker dies.
    """
    limit = limit or settings.OUTBOX_BATCH_SIZE
    now = timezone.now()
    lease_end = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        due = _due()
        if ids is not None:
            due = due.filter(pk__in=list(ids))
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        rows = list(due.order_by("next_attempt_at")[:limit])
        if not rows:
            return []
        pks = [row.pk for row in rows]
        OutboxMessage.objects.filter(pk__in=pks).update(
            leased_until=lease_end, next_attempt_at=lease_end, attempts=F("attempts") + 1
        )
        # Rows written by SQL (the expiry sweep) get their Message-ID now, before any send.
        missing = [row for row in rows if not row.message_id]
        if missing:
            OutboxMessage.objects.filter(pk__in=[r.pk for r in missing]).update(
                message_id=Concat(
                    Value("<"),
                    Replace(Cast("id", CharField()), Value("-"), Value("")),
                    Value(f"@{message_id_domain()}>"),
                )
            )
            for row in missing:
                row.message_id = message_id_for(row.pk)
    for row in rows:
        row.attempts += 1
        row.leased_until = row.next_attempt_at = lease_end
    return rows


def _email(message: OutboxMessage) -> EmailMultiAlternatives:
    if not message.body_text and not message.has_secrets:  # a bulk notice: render now
        message.subject, message.body_text, message.body_html = render(
            message.template, _from_json(message.context), message.language
        )
    mail = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": message.message_id} if message.message_id else None,
    )
    if message.body_html:
        mail.attach_alternative(message.body_html, "text/html")
    return mail


def _permanent(exc: Exception) -> bool:
    """A 5xx answer for this message: retrying will not help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def _drop(smtp) -> None:
    """Forget a broken SMTP connection without a QUIT (a hung server would not answer it)."""
    raw = getattr(smtp, "connection", None)
    if raw is not None:
        with contextlib.suppress(Exception):  # it is being thrown away
            raw.close()
        smtp.connection = None


def send_batch(rows: list[OutboxMessage], smtp, *, stop_at: float) -> tuple[dict, bool]:
    """Send claimed rows over one connection, then record the outcome of each.

    Returns (counts, connection_ok). Rows not tried (time is up, the server broke off) are
    released: due again at once, the attempt not counted.
    """
    sent, failed, untried = [], [], []
    broken = None
    try:
        smtp.open()  # once: every send_messages below reuses the open connection
    except Exception as exc:
        broken = exc
        _drop(smtp)
        failed = [(row, exc) for row in rows]
        rows = []
    for index, row in enumerate(rows):
        if time.monotonic() > stop_at:
            untried = rows[index:]
            break
        try:
            mail = _email(row)
        except Exception as exc:  # a template that fails to render: this row only
            log.exception("Outbox message %s could not be built", row.pk)
            failed.append((row, exc))
            continue
        try:
            smtp.send_messages([mail])
        except MESSAGE_ERRORS as exc:
            failed.append((row, exc))
        except Exception as exc:
            broken = exc
            _drop(smtp)
            # The server is down or hung: every row of the batch failed this round.
            failed.extend((other, exc) for other in rows[index:])
            break
        else:
            sent.append(row)
    counts = _record(sent=sent, failed=failed, untried=untried)
    if broken is not None:
        log.warning("Mail server unreachable (%s); %d mails wait.", broken, len(failed))
    return counts, broken is None


SENT_FIELDS = ["status", "sent_at", "leased_until", "last_error"]


def _update_each(rows: list[OutboxMessage], fields: list[str]) -> None:
    """One prepared UPDATE per row, sent as executemany: rows differ in every field, and
    bulk_update's CASE expressions cost more to build than the statements to run."""
    if not rows:
        return
    meta = OutboxMessage._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 - names from the model
        quote(meta.db_table),
        ", ".join(f"{quote(field.column)} = %s" for field in columns),
        quote(meta.pk.column),
    )
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in columns]
        + [meta.pk.get_db_prep_value(row.pk, connection)]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _record(*, sent, failed, untried) -> dict:
    now = timezone.now()
    counts = {"sent": len(sent), "retry": 0, "dead": 0, "released": len(untried)}
    with transaction.atomic():
        plain = [row.pk for row in sent if not row.has_secrets]
        if plain:
            OutboxMessage.objects.filter(pk__in=plain).update(
                status=OutboxMessage.Status.SENT, sent_at=now, leased_until=None, last_error=""
            )
        redacted = [row for row in sent if row.has_secrets]
        for row in redacted:
            row.status, row.sent_at = OutboxMessage.Status.SENT, now
            row.leased_until, row.last_error = None, ""
            _redact(row)
        _update_each(redacted, [*SENT_FIELDS, "subject", "body_text", "body_html", "redacted_at"])
        for row, exc in failed:
            _failed(row, exc, now)
            counts["dead" if row.status == OutboxMessage.Status.DEAD else "retry"] += 1
        _update_each(
            [row for row, _ in failed],
            ["status", "next_attempt_at", "leased_until", "last_error", "give_up_at"],
        )
        if untried:
            OutboxMessage.objects.filter(pk__in=[row.pk for row in untried]).update(
                next_attempt_at=now, leased_until=None, attempts=F("attempts") - 1
            )
    return counts


def retry_delay(*, first_failure, now) -> timedelta:
    """Backoff: one minute, then as long as the row has been failing, at most the maximum.

    Attempts come 1, 1, 2, 4, 8, ... minutes apart, then every OUTBOX_RETRY_MAX_SECONDS.
    """
    failing = (now - first_failure).total_seconds()
    seconds = min(
        max(settings.OUTBOX_RETRY_FIRST_SECONDS, failing), settings.OUTBOX_RETRY_MAX_SECONDS
    )
    return timedelta(seconds=seconds)


def _failed(row: OutboxMessage, exc: Exception, now) -> None:
    window = timedelta(seconds=settings.OUTBOX_GIVE_UP_AFTER_SECONDS)
    if row.give_up_at is None:
        row.give_up_at = now + window
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    row.leased_until = None
    if _permanent(exc) or now >= row.give_up_at:
        row.status = OutboxMessage.Status.DEAD
        log.error("Outbox message %s dead-lettered: %s", row.pk, row.last_error)
    else:
        row.next_attempt_at = now + retry_delay(first_failure=row.give_up_at - window, now=now)


def deliver(*, ids=None, seconds: float | None = None, batch_size: int | None = None) -> dict:
    """Drain due mail: claim a batch, send it over one SMTP connection, mark it; repeat.

    Stops when nothing is due, when the time budget is spent (the task's time limits stay
    clear of the lease) or when the mail server is unreachable (beat tries again).
    """
    seconds = settings.OUTBOX_DRAIN_SECONDS if seconds is None else seconds
    started = time.monotonic()
    # Stop sending well before the lease ends, so a slow server cannot cause a double claim.
    stop_at = started + min(seconds, settings.OUTBOX_LEASE_SECONDS / 2)
    totals = {"sent": 0, "retry": 0, "dead": 0, "released": 0}
    smtp = None
    try:
        while time.monotonic() < stop_at:
            rows = claim(ids=ids, limit=batch_size)
            if not rows:
                break
            if smtp is None:
                smtp = get_connection(fail_silently=False)
            counts, connection_ok = send_batch(rows, smtp, stop_at=stop_at)
            for key, value in counts.items():
                totals[key] += value
            if not connection_ok:
                break
    finally:
        if smtp is not None and getattr(smtp, "connection", True) is not None:
            with contextlib.suppress(Exception):  # the mails are recorded already
                smtp.close()
    return totals


# Operations ------------------------------------------------------------------------------


def requeue(*, by, message_ids) -> int:
    """Support staff send pending, dead or failed messages again now (Django admin); audited."""
    access.require_staff(by, "notifications.view_outboxmessage")
    waiting = [OutboxMessage.Status.PENDING, OutboxMessage.Status.DEAD]
    waiting.append(OutboxMessage.Status.FAILED)
    with transaction.atomic():
        ids = list(message_ids)
        requeued = OutboxMessage.objects.filter(pk__in=ids, status__in=waiting)
        count = requeued.update(
            status=OutboxMessage.Status.PENDING,
            next_attempt_at=timezone.now(),
            leased_until=None,
            give_up_at=None,
        )
        record("outbox.requeued", actor=by, after={"messages": count})
        if count:
            kick_on_commit(ids)
    return count


def outbox_health() -> dict:
    """For /readyz: mail waiting, how long the oldest has waited, and dead letters (one
    query, over the rows not sent)."""
    now = timezone.now()
    waiting = Q(status=OutboxMessage.Status.PENDING)
    given_up = [OutboxMessage.Status.DEAD, OutboxMessage.Status.FAILED]
    found = OutboxMessage.objects.filter(
        status__in=[OutboxMessage.Status.PENDING, *given_up]
    ).aggregate(
        queued=Count("pk", filter=waiting),
        oldest=Min("created_at", filter=waiting),
        dead=Count("pk", filter=Q(status__in=given_up)),
    )
    oldest = found["oldest"]
    return {
        "queued": found["queued"],
        "oldest_queued_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0.0,
        "dead": found["dead"],
    }
