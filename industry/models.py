"""Industry apps: what an industry partner submits for a customer's approval."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IndustryApp(models.Model):
    """An app an industry partner submitted to a customer; the customer approves or rejects it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting a decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="industry_apps",
        verbose_name=_("customer"),
    )
    partner = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="submitted_industry_apps",
        verbose_name=_("partner"),
    )
    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=50)
    summary = models.TextField(_("summary"), max_length=2000)
    link = models.URLField(_("link"), max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("industry app")
        verbose_name_plural = _("industry apps")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["tenant", "-submitted_at"], name="industry_app_tenant_time"),
            models.Index(
                fields=["tenant", "partner", "-submitted_at"], name="industry_app_partner_time"
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.version}"
