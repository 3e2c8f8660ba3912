"""The product catalog (kept by support staff), tenants' subscriptions, billing settings."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Product(models.Model):
    """One catalog entry; support staff keep the catalog in Django admin."""

    class Term(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        ANNUAL = "annual", _("Annual")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sku = models.CharField(_("SKU"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    # Price of one licence for one term (a month, or a year for annual products).
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    term = models.CharField(_("term"), max_length=10, choices=Term.choices, default=Term.MONTHLY)
    # Retired products stay for existing subscriptions but cannot be bought any more.
    is_active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "sku"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="product_price_not_negative"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.sku})"


class Subscription(models.Model):
    """A tenant's subscription to a product, bought directly or through a partner."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        DIRECT = "direct", _("Direct")
        RESELLER = "reseller", _("Reseller")
        INDIRECT_RESELLER = "indirect_reseller", _("Indirect reseller")
        MPSA_PARTNER = "mpsa_partner", _("MPSA partner")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("tenant"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="subscriptions", verbose_name=_("product")
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    # The partner tenant it was bought through (none for a direct purchase).
    partner = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner"),
    )
    bought_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bought by"),
    )
    bought_at = models.DateTimeField(_("bought"), default=timezone.now)
    renewal_date = models.DateField(_("renews on"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-bought_at"]
        indexes = [
            models.Index(fields=["tenant", "-bought_at"], name="subscription_tenant_time"),
            models.Index(fields=["tenant", "partner"], name="subscription_tenant_partner"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="subscription_quantity_min"),
            # Direct purchases have no partner; every other channel names one.
            models.CheckConstraint(
                condition=(Q(channel="direct") & Q(partner__isnull=True))
                | (~Q(channel="direct") & Q(partner__isnull=False)),
                name="subscription_channel_partner",
            ),
        ]

    def __str__(self):
        return f"{self.product.name} x {self.quantity}"


class TenantSettings(models.Model):
    """Billing settings of one tenant (a row appears on the first change)."""

    tenant = models.OneToOneField(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="billing_settings",
        verbose_name=_("tenant"),
    )
    # On: each MPSA partner sees the purchases made through any of the tenant's MPSA partners.
    mpsa_share_purchases = models.BooleanField(
        _("MPSA partners see each other's purchases"), default=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("billing settings")
        verbose_name_plural = _("billing settings")

    def __str__(self):
        return str(self.tenant)
