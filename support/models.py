import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SupportRequest(models.Model):
    """A tenant's support request; partner staff may open one through delegated access."""

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="support_requests",
        verbose_name=_("tenant"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="support_requests",
        verbose_name=_("opened by"),
    )
    # The partner tenant whose staff opened it through delegated (GDAP) access, if any.
    acting_partner = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acting partner"),
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["tenant", "-created_at"], name="support_tenant_time"),
            models.Index(fields=["tenant", "status", "-created_at"], name="support_tenant_status"),
        ]

    def __str__(self):
        return self.title


class SupportComment(models.Model):
    """One message in a support request's thread."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("support request"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="support_comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), max_length=10000)
    acting_partner = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acting partner"),
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("support comment")
        verbose_name_plural = _("support comments")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["request", "created_at"], name="support_comment_time")]

    def __str__(self):
        return self.body[:60]

    @property
    def tenant(self):
        # The admin's audit (core.admin._tenant_of) and scoping read obj.tenant.
        return self.request.tenant
