"""The outbox: mail is rendered and stored with the change, and sent after commit."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise

from audit.services import record
from core import access
from core.text import one_full_stop
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
    message = OutboxMessage.objects.create(
        to=to,
        template=template,
        language=language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        context=_jsonable(masked) if secrets else {},
        has_secrets=bool(secrets),
    )
    transaction.on_commit(lambda: enqueue_send(message.pk))
    return message


def mask_link(url) -> str:
    """A link with its secret part replaced: every path segment long enough to be a token."""
    if not isinstance(url, str):
        return url
    head, sep, path = url.partition("://")
    host, slash, rest = (path if sep else head).partition("/")
    segments = ["•••" if len(s) >= 16 else s for s in rest.split("/")]
    return f"{head}{sep}{host}{slash}{'/'.join(segments)}" if sep else url


def masked_bodies(message: OutboxMessage) -> tuple[str, str, str]:
    """(subject, text, html) of a message as it may be shown or kept: secret links masked."""
    if not message.has_secrets or message.redacted_at is not None:
        return message.subject, message.body_text, message.body_html
    return render(message.template, _from_json(message.context), message.language)


def _redact(message: OutboxMessage) -> None:
    """After sending: keep the mail readable with its secret links masked, and no more."""
    message.subject, message.body_text, message.body_html = masked_bodies(message)
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
    rows = [
        OutboxMessage(
            to=to,
            template=template,
            language=language or settings.LANGUAGE_CODE,
            subject="",
            body_text="",
            context=_jsonable(context),
        )
        for to, language, context in notices
    ]
    OutboxMessage.objects.bulk_create(rows, batch_size=1000)
    ids = [str(row.pk) for row in rows]
    if ids:
        transaction.on_commit(lambda: enqueue_batch(ids))
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


def enqueue_batch(ids: list[str], chunk: int = 200) -> bool:
    """Queue sends in chunks; with the broker down the rows wait for flush_outbox."""
    from notifications.tasks import send_outbox_batch

    try:
        for start in range(0, len(ids), chunk):
            send_outbox_batch.apply_async(args=(ids[start : start + chunk],), retry=False)
    except Exception:
        log.warning("Could not queue %d outbox messages; they stay pending.", len(ids))
        return False
    return True


def _render_plain(template_name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping ("A & B" stays "A & B")."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def enqueue_send(message_id) -> bool:
    """Hand the send to Celery; a broker outage leaves the row for the beat job to re-queue."""
    from notifications.tasks import send_outbox_message

    try:
        # No publish retries: with the broker down this must fail fast, not block the request.
        send_outbox_message.apply_async(args=(str(message_id),), retry=False)
    except Exception:  # the broker is down: flush_outbox picks the row up later
        log.warning(
            "Could not queue outbox message %s; it stays pending.", message_id, exc_info=True
        )
        return False
    return True


def send_message(*, message_id) -> bool:
    """Send one outbox row once: lock it, skip it if already sent, send, mark it sent."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(of=("self",))
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
            .first()
        )
        if message is None:
            return False
        if not message.body_text and not message.has_secrets:  # a bulk notice: render now
            message.subject, message.body_text, message.body_html = render(
                message.template, _from_json(message.context), message.language
            )
            message.save(update_fields=["subject", "body_text", "body_html"])
        message.attempts += 1
        mail = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
        )
        if message.body_html:
            mail.attach_alternative(message.body_html, "text/html")
        try:
            mail.send()
        except Exception as exc:
            # Record the failed attempt and commit it (raising here would roll it back);
            # the task re-raises below so Celery retries.
            message.last_error = str(exc)[:2000]
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.FAILED
            message.save(update_fields=["attempts", "last_error", "status"])
            failure = exc
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            fields = ["attempts", "status", "sent_at", "last_error"]
            if message.has_secrets:
                _redact(message)
                fields += ["subject", "body_text", "body_html", "redacted_at"]
            message.save(update_fields=fields)
            return True
    raise failure


def flush_pending(*, older_than: timedelta = timedelta(seconds=30), limit: int = 500) -> int:
    """Re-queue rows left pending (a broker outage, a lost task); returns how many."""
    cutoff = timezone.now() - older_than
    ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(enqueue_send(pk) for pk in ids)


def requeue(*, by, message_ids) -> int:
    """Support staff queue pending messages again (Django admin); audited once."""
    access.require_staff(by, "notifications.view_outboxmessage")
    ids = list(
        OutboxMessage.objects.filter(
            pk__in=list(message_ids), status=OutboxMessage.Status.PENDING
        ).values_list("pk", flat=True)
    )
    queued = sum(enqueue_send(pk) for pk in ids)
    record("outbox.requeued", actor=by, after={"messages": len(ids), "queued": queued})
    return queued
