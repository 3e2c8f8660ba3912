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

from notifications.services.delivery import (
    MESSAGE_ERRORS,
    SENT_FIELDS,
    claim,
    deliver,
    outbox_health,
    requeue,
    retry_delay,
    send_batch,
)
from notifications.services.outbox import (
    LINK,
    enqueue_batch,
    enqueue_send,
    kick,
    kick_on_commit,
    masked_bodies,
    message_id_domain,
    message_id_for,
    queue_mail,
    queue_notices,
    render,
)

__all__ = [
    "LINK",
    "MESSAGE_ERRORS",
    "SENT_FIELDS",
    "claim",
    "deliver",
    "enqueue_batch",
    "enqueue_send",
    "kick",
    "kick_on_commit",
    "masked_bodies",
    "message_id_domain",
    "message_id_for",
    "outbox_health",
    "queue_mail",
    "queue_notices",
    "render",
    "requeue",
    "retry_delay",
    "send_batch",
]
