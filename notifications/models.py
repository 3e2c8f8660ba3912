import uuid

from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A mail written in the same transaction as the change it reports; sent by a worker."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        # Dead-lettered: retried with backoff for OUTBOX_GIVE_UP_AFTER and still not sent.
        DEAD = "dead", _("Dead letter")
        # Rows given up on before the backoff schedule existed; requeued like dead ones.
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    to = models.EmailField(_("to"))
    template = models.CharField(_("template"), max_length=100)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    # For notices queued in bulk: rendered at send time from template + context. For a
    # mail that carries secret links: the context with those links masked, from which the
    # stored bodies are rendered again once the mail is sent (no usable link stays).
    context = models.JSONField(_("context"), default=dict, blank=True)
    has_secrets = models.BooleanField(_("carries secret links"), default=False)
    redacted_at = models.DateTimeField(_("secret links removed"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Stable across retries: a second delivery after a crash carries the same Message-ID.
    message_id = models.CharField(
        _("Message-ID"), max_length=255, blank=True, default="", db_default=""
    )
    # Due when this has passed: the next retry, or the end of a worker's lease on the row.
    next_attempt_at = models.DateTimeField(
        _("next attempt"), default=timezone.now, db_default=Now()
    )
    # A worker claimed the row and is sending it until then (a crash lets it lapse).
    leased_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    # Set at the first failed attempt: retries back off until then, and the row is then
    # dead-lettered. A requeue clears it.
    give_up_at = models.DateTimeField(_("retried until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due_idx",
                condition=models.Q(status="pending"),
            ),
            models.Index(
                fields=["created_at"],
                name="outbox_queued_idx",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self):
        return f"{self.template} → {self.to}"
