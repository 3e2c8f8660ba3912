import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementVersion(models.Model):
    """One version of an agreement; published by support staff, never edited once published."""

    class Kind(models.TextChoices):
        CUSTOMER_AGREEMENT = "customer_agreement", _("Customer agreement")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(
        _("kind"), max_length=40, choices=Kind.choices, default=Kind.CUSTOMER_AGREEMENT
    )
    version = models.CharField(_("version"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"), blank=True, help_text=_("Plain text; blank lines separate paragraphs.")
    )
    url = models.URLField(_("external URL"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="agreement_unique_version")
        ]

    def __str__(self):
        return f"{self.title} ({self.version})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class AgreementAcceptance(models.Model):
    """A tenant's acceptance of one agreement version, as it was shown. Never edited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="agreement_acceptances"
    )
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="acceptances"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted"), auto_now_add=True)
    attestation = models.TextField(_("attestation shown"))
    name = models.CharField(_("name as shown"), max_length=150)
    email = models.EmailField(_("email as shown"))
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("agreement acceptance")
        verbose_name_plural = _("agreement acceptances")
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "version"], name="acceptance_unique_version")
        ]

    def __str__(self):
        return f"{self.tenant} accepted {self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Agreement acceptances are never edited.")
        super().save(*args, **kwargs)
