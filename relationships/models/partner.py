"""Partner relationships, the invitations that create them, and requests to end them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners import relationship_types

REFERENCE_MAX = 200  # the partner's internal reference on an invitation or a GDAP request


class PartnerRelationship(models.Model):
    """One row per (customer, partner): the relationship types in force between them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="partner_relationships",
        verbose_name=_("customer"),
    )
    partner = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="customer_relationships",
        verbose_name=_("partner"),
    )
    # Codes of partners/relationship_types.py in force now; empty once every type ended.
    types = models.JSONField(_("relationship types"), default=list, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The customer's name, the partner's customers list's sort key (indexed with the partner,
    # so a page is read in index order): set on save, kept when the tenant is renamed
    # (relationships/signals.py).
    customer_name = models.CharField(_("customer name"), max_length=200, editable=False)

    class Meta:
        db_table = "partners_partnerrelationship"
        verbose_name = _("partner relationship")
        verbose_name_plural = _("partner relationships")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "partner"], name="partner_relationship_unique_pair"
            )
        ]
        indexes = [
            models.Index(
                fields=["partner", "customer_name", "customer"],
                name="partner_customers_order",
                condition=~models.Q(types=[]),  # the list's rows: page and count read it
            )
        ]

    def __str__(self):
        return f"{self.partner} → {self.customer}"

    def save(self, *args, **kwargs):
        if self._state.adding or not self.customer_name:  # the customer never changes
            if PartnerRelationship.customer.is_cached(self):
                self.customer_name = self.customer.name
            else:
                self.customer_name = (
                    type(self)
                    .customer.field.related_model.objects.filter(pk=self.customer_id)
                    .values_list("name", flat=True)
                    .first()
                    or ""
                )
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return bool(self.types)

    def type_labels(self) -> list[tuple[str, str]]:
        return [(code, relationship_types.label(code)) for code in self.types]


class Invitation(models.Model):
    """A partner's email invitation to a customer; accepted through a single-use link."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partner = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="sent_invitations",
        verbose_name=_("partner"),
    )
    email = models.EmailField(_("invited email"), blank=True)
    # Set when the partner already knows the customer's tenant: then only it may accept.
    customer = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="received_invitations",
        verbose_name=_("customer"),
    )
    relationship_types = models.JSONField(_("relationship types"), default=list)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    lead = models.ForeignKey(
        "partners.Lead",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("lead"),
    )
    # The GDAP part, when the invitation asks for admin roles (status approval_pending).
    gdap_relationship = models.OneToOneField(
        "relationships.DelegatedAdminRelationship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
        verbose_name=_("GDAP request"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    expires_at = models.DateTimeField(_("expires"), db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    last_sent_at = models.DateTimeField(_("last sent"), default=timezone.now)
    resent_count = models.PositiveIntegerField(_("times resent"), default=0)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted for"),
    )
    # The partner's own note (a CRM or ticket number, say); never shown to the customer.
    reference = models.CharField(_("internal reference"), max_length=REFERENCE_MAX, blank=True)

    class Meta:
        db_table = "partners_invitation"
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["partner", "-created_at"], name="invitation_partner_time"),
            # The customer's inbox (selectors.invitations_received): those naming it, and
            # those naming no tenant, by addressee; each an index range in time order.
            models.Index(fields=["customer", "-created_at"], name="invitation_customer_time"),
            models.Index(
                fields=["email", "-created_at"],
                name="invitation_open_email_time",
                condition=models.Q(customer__isnull=True),
            ),
        ]
        constraints = [
            # Accepting fills in the customer (services.acceptance); a named one is accepted
            # only there. So the customer's inbox needs no third range for accepted_tenant.
            models.CheckConstraint(
                condition=models.Q(accepted_tenant__isnull=True)
                | models.Q(accepted_tenant=models.F("customer")),
                name="invitation_accepted_in_customer",
            ),
        ]

    def __str__(self):
        return f"{self.partner} → {self.email}"

    def status_at(self, at) -> str:
        """A pending invitation past its expiry reads expired before the beat job runs."""
        if self.status == self.Status.PENDING and self.expires_at <= at:
            return self.Status.EXPIRED
        return self.status

    def status_since(self, at):
        """When the invitation got the status it reads at `at`: sent (pending), answered or
        cancelled, or the moment it expired."""
        status = self.status_at(at)
        if status == self.Status.PENDING:
            return self.last_sent_at
        if status == self.Status.EXPIRED:
            return self.expires_at
        return self.responded_at

    def type_labels(self) -> list[tuple[str, str]]:
        return [(code, relationship_types.label(code)) for code in self.relationship_types]


class EndRequest(models.Model):
    """A customer's request to end a partner relationship: mailed to the partner, and a
    support request that support staff see in Django admin."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    relationship = models.ForeignKey(
        PartnerRelationship, on_delete=models.CASCADE, related_name="end_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        db_table = "partners_endrequest"
        verbose_name = _("request to end a relationship")
        verbose_name_plural = _("requests to end a relationship")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.relationship} ({self.get_status_display()})"
