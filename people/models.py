"""A tenant's invitation of an existing account: no membership until its holder accepts."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MembershipInvitation(models.Model):
    """An existing account asked to join a tenant: the holder accepts while signed in."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="membership_invitations",
        verbose_name=_("tenant"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership_invitations",
        verbose_name=_("invited account"),
    )
    roles = models.ManyToManyField("roles.RoleDefinition", blank=True, verbose_name=_("roles"))
    # The partner of a partner user account, as on Membership.
    partner_tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner"),
    )
    # Set when a partner's staff invited the account through delegated access.
    delegated_partner = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited through the delegated access of"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership invitation")
        verbose_name_plural = _("membership invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "user"],
                condition=models.Q(status="pending"),
                name="membership_invitation_one_pending",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.tenant}"

    def status_at(self, at) -> str:
        if self.status == self.Status.PENDING and self.expires_at <= at:
            return self.Status.EXPIRED
        return self.status


MEMBERSHIP_INVITATION_TRANSITIONS = {
    (MembershipInvitation.Status.PENDING, "accept"): MembershipInvitation.Status.ACCEPTED,
    (MembershipInvitation.Status.PENDING, "decline"): MembershipInvitation.Status.DECLINED,
    (MembershipInvitation.Status.PENDING, "expire"): MembershipInvitation.Status.EXPIRED,
}
