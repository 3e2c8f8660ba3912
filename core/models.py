"""Core's one table: the answers kept for Idempotency-Key retries (core.idempotency)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """The first answer to a POST that carried an Idempotency-Key, replayed to its retries.

    One per caller (user or token), method, path and key; written in the transaction of
    the change it answers, and only for a success; kept until `expires_at`.
    """

    owner = models.CharField(_("caller"), max_length=64)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=1000)
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request body hash"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status"), default=0)
    body = models.JSONField(_("answer"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "method", "path", "key"], name="idempotency_key_unique"
            )
        ]

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}]"
