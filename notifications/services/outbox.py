"""Queueing: mail rendered and stored with the change (queue_mail, queue_notices), its
links masked once sent, and the workers kicked after commit. notifications.services has
the whole picture."""

import logging
import re
import uuid
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise

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
