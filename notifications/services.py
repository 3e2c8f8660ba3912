"""The outbox: mail is rendered and stored with the change, and sent after commit.

Delivery is at least once, with bounded delay. A worker claims due rows (a lease: the row
is not due again until the lease ends; SKIP LOCKED on PostgreSQL) and commits the claim,
sends the batch over one SMTP connection outside any transaction, then marks the rows
sent. A failed row is retried with backoff (1 minute, doubling, at most
OUTBOX_RETRY_MAX_SECONDS apart) until OUTBOX_GIVE_UP_AFTER_SECONDS after its first failure,
then dead-lettered with its last error (Django admin requeues it). A worker that dies
between sending and marking lets the lease lapse and the row goes out again, with the same
Message-ID, so the duplicate is recognisable.
"""

import contextlib
import logging
import re
import smtplib
import time
import uuid
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import CharField, Count, F, Min, Q, Value
from django.db.models.functions import Cast, Concat, Replace
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise

from audit.services import record
from core import access
from core.text import mask_link, one_full_stop
from notifications.models import OutboxMessage

log = logging.getLogger(__name__)


def queue_mail(*, to: str, template: str, context: dict, language: str | None = None, secrets=()):
    """Render templates/emails/<template>.{subject.txt,txt,html} in `language` and queue it.

    Call inside the service's transaction: the row commits with the change, and the send
    is queued only once the transaction commits. `secrets` names the context keys whose
    values are secret links (an invitation's approval link, a set-password link): the row
    keeps them only until the mail is sent, and Django admin shows them masked.
    """
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    subject, body_text, body_html = render(template, context, language)
    masked = {k: mask_link(v) if k in secrets else v for k, v in context.items()}
    pk = uuid.uuid4()
    message = OutboxMessage.objects.create(
        id=pk,
        message_id=message_id_for(pk),
        to=to,
        template=template,
        language=language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        context=_jsonable(masked) if secrets else {},
        has_secrets=bool(secrets),
    )
    kick_on_commit([pk])
    return message


def masked_bodies(message: OutboxMessage) -> tuple[str, str, str]:
    """(subject, text, html) of a message as it may be shown or kept: secret links masked."""
    if not message.has_secrets or message.redacted_at is not None:
        if not message.body_text and message.template and message.context:
            return render(message.template, _from_json(message.context), message.language)
        return message.subject, message.body_text, message.body_html
    return render(message.template, _from_json(message.context), message.language)


LINK = re.compile(r"https?://[^\s\"'<>]+")


def _masked_links(text: str) -> str:
    return LINK.sub(lambda found: mask_link(found.group(0)), text)


def _redact(message: OutboxMessage) -> None:
    """After sending: keep the mail readable with its secret links masked, and no more.

    Every link in the sent bodies is masked as `mask_link` masks the secret ones (path
    segments long enough to be a token), without rendering the mail again.
    """
    message.subject = _masked_links(message.subject)
    message.body_text = _masked_links(message.body_text)
    message.body_html = _masked_links(message.body_html)
    message.redacted_at = timezone.now()


def render(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """(subject, text, html) of templates/emails/<template>.* in language."""
    context = {"site_url": settings.SITE_URL, "LANGUAGE_CODE": language, **context}
    with translation.override(language):
        # Lazy labels (relationship types, role names) become text in the mail's language.
        context = {key: _resolved(value) for key, value in context.items()}
        subject = _render_plain(f"emails/{template}.subject.txt", context).strip()
        body_text = _render_plain(f"emails/{template}.txt", context)
        body_html = render_to_string(f"emails/{template}.html", context)
    # A name ending in a full stop ("Contoso Ltd.") closes a sentence with just that one.
    subject, body_text, body_html = (one_full_stop(t) for t in (subject, body_text, body_html))
    return " ".join(subject.split())[:255], body_text, body_html


def _resolved(value):
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return [_resolved(item) for item in value]
    return value


def queue_notices(*, template: str, notices: list[tuple[str, str, dict]]) -> int:
    """Queue many mails of one template in one INSERT, rendered when sent (batch jobs).

    notices: (to, language, context); context values must be JSON-friendly, times as
    datetimes (stored as ISO text, read back as datetimes for keys ending in "_at").
    """
    rows = []
    for to, language, context in notices:
        pk = uuid.uuid4()
        rows.append(
            OutboxMessage(
                id=pk,
                message_id=message_id_for(pk),
                to=to,
                template=template,
                language=language or settings.LANGUAGE_CODE,
                subject="",
                body_text="",
                context=_jsonable(context),
            )
        )
    OutboxMessage.objects.bulk_create(rows, batch_size=1000)
    if rows:
        kick_on_commit([row.pk for row in rows])
    return len(rows)


def _jsonable(context: dict) -> dict:
    return {key: _json_value(value) for key, value in context.items()}


def _json_value(value):
    """A context value as JSON keeps it: times as ISO text, lazy text as text."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return _jsonable(value)
    return value


def _from_json(context: dict) -> dict:
    return {
        key: parse_datetime(value) if key.endswith("_at") and isinstance(value, str) else value
        for key, value in context.items()
    }


def _render_plain(template_name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping ("A & B" stays "A & B")."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


# Queueing the send ------------------------------------------------------------------------


def message_id_domain() -> str:
    domain = getattr(settings, "OUTBOX_MESSAGE_ID_DOMAIN", "")
    if not domain:
        domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "liaison.local"
    return domain


def message_id_for(pk) -> str:
    """The row's Message-ID: fixed when queued, the same on every attempt."""
    return f"<{uuid.UUID(str(pk)).hex}@{message_id_domain()}>"


def kick(ids=None, chunk: int = 1000) -> bool:
    """Ask a mail worker to send these rows now (or drain whatever is due, without ids).

    With the broker down this fails fast and the rows wait for beat's drain.
    """
    from notifications.tasks import deliver_outbox

    try:
        # No publish retries: with the broker down this must fail fast, not block the caller.
        if ids is None:
            deliver_outbox.apply_async(retry=False)
        for start in range(0, len(ids or ()), chunk):
            batch = [str(pk) for pk in ids[start : start + chunk]]
            deliver_outbox.apply_async(args=(batch,), retry=False)
    except Exception:
        log.warning(
            "Could not queue an outbox send; the mail waits for the beat drain.", exc_info=True
        )
        return False
    return True


def kick_on_commit(ids) -> None:
    """Once the transaction commits, have its mails sent: one request for all of them."""
    conn = transaction.get_connection()
    here = set(conn.savepoint_ids)  # a kick in an enclosing block may be rolled back alone
    if conn.in_atomic_block:
        for sids, func, _robust in conn.run_on_commit:
            if getattr(func, "outbox_ids", None) is not None and not func.done and sids == here:
                func.outbox_ids.extend(ids)
                return

    def kick_once():
        kick_once.done = True
        kick(kick_once.outbox_ids)

    kick_once.outbox_ids = list(ids)
    kick_once.done = False
    transaction.on_commit(kick_once)


def enqueue_batch(ids) -> bool:
    """Rows were written by a bulk statement (the expiry sweep): have them sent."""
    return kick(list(ids))


def enqueue_send(message_id) -> bool:
    """Kept for callers of the one-task-per-mail era."""
    return kick([message_id])


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
