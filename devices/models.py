"""Liaison's device registry: Windows Autopilot style registrations of a customer's devices.

A registration belongs to the customer tenant, but it is not tenant data an OEM can read
through a role: the OEM partner that wrote it sees its own registrations and nothing else.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AutopilotDevice(models.Model):
    """One device registered for a tenant, by its own admins or by an OEM partner."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="autopilot_devices",
        verbose_name=_("tenant"),
    )
    hardware_hash = models.TextField(_("hardware hash"))
    # SHA-256 of the decoded hash: one registration per device across every tenant.
    hash_digest = models.CharField(_("hardware hash digest"), max_length=64, editable=False)
    serial_number = models.CharField(_("serial number"), max_length=128)
    product_key_id = models.CharField(_("Windows product ID"), max_length=64, blank=True)
    manufacturer = models.CharField(_("manufacturer"), max_length=128, blank=True)
    model = models.CharField(_("model"), max_length=128, blank=True)
    group_tag = models.CharField(_("group tag"), max_length=128, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    # The OEM partner tenant that registered it; empty when the tenant's own admins did.
    registered_by_partner = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by partner"),
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("Autopilot device")
        verbose_name_plural = _("Autopilot devices")
        ordering = ["-registered_at"]
        constraints = [
            models.UniqueConstraint(fields=["hash_digest"], name="autopilot_device_unique_hash")
        ]
        indexes = [
            models.Index(fields=["tenant", "-registered_at"], name="device_tenant_time"),
            models.Index(
                fields=["tenant", "registered_by_partner", "-registered_at"],
                name="device_tenant_partner_time",
            ),
        ]

    def __str__(self):
        return self.serial_number
