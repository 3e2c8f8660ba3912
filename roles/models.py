import uuid
from datetime import datetime, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleDefinition(models.Model):
    """A built-in directory role; its primary key is Microsoft Entra's stable template id."""

    id = models.UUIDField(_("template id"), primary_key=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    is_privileged = models.BooleanField(_("privileged"), default=False)
    gdap_assignable = models.BooleanField(_("assignable through GDAP"), default=True)
    blocks_auto_extend = models.BooleanField(_("blocks auto-extend"), default=False)

    class Meta:
        verbose_name = _("role definition")
        verbose_name_plural = _("role definitions")
        ordering = ["name"]

    def __str__(self):
        return self.name


def extended_end(end_at, auto_extend: timedelta, at: datetime):
    """End as of `at`: auto-extend moves a passed end on, whether or not the sweep ran."""
    if end_at is None or end_at > at or not auto_extend:
        return end_at
    return end_at + ((at - end_at) // auto_extend + 1) * auto_extend


class DelegatedAdminRelationship(models.Model):
    """GDAP: a partner's time-bound, least-privilege admin roles in one customer tenant.

    Field names and statuses follow Microsoft Graph's delegatedAdminRelationship.
    """

    class Status(models.TextChoices):
        CREATED = "created", _("Created")
        APPROVAL_PENDING = "approval_pending", _("Approval pending")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partner = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="gdap_relationships_as_partner",
        verbose_name=_("partner"),
    )
    customer = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="gdap_relationships_as_customer",
        verbose_name=_("customer"),
    )
    display_name = models.CharField(_("display name"), max_length=50)
    duration = models.DurationField(_("duration"))
    auto_extend_duration = models.DurationField(_("auto-extend"), default=timedelta(0))
    requested_roles = models.ManyToManyField(
        RoleDefinition, related_name="+", verbose_name=_("requested roles")
    )
    approved_roles = models.ManyToManyField(
        RoleDefinition, blank=True, related_name="+", verbose_name=_("approved roles")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CREATED, db_index=True
    )
    created_by = models.ForeignKey(
        "tenants.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    end_at = models.DateTimeField(_("ends"), null=True, blank=True, db_index=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    last_modified_at = models.DateTimeField(_("last modified"), auto_now=True)
    # The smallest "days before the end" reminder already sent (30, 7 or 1); reset on extend.
    last_reminder_days = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("delegated admin relationship")
        verbose_name_plural = _("delegated admin relationships")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "display_name"], name="gdap_unique_display_name"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "status", "end_at"], name="gdap_customer_status_end"),
            models.Index(fields=["status", "end_at"], name="gdap_status_end"),
        ]

    def __str__(self):
        return self.display_name

    def effective_end(self, at: datetime) -> datetime | None:
        return extended_end(self.end_at, self.auto_extend_duration, at)

    def status_at(self, at: datetime) -> str:
        """The status as clients read it: an active grant past its end reads expired at once."""
        if self.status == self.Status.ACTIVE:
            end = self.effective_end(at)
            if end is not None and end <= at:
                return self.Status.EXPIRED
        return self.status

    def is_expiring(self, at: datetime) -> bool:
        end = self.effective_end(at)
        return (
            self.status_at(at) == self.Status.ACTIVE
            and end is not None
            and end - at <= EXPIRING_WINDOW
        )


EXPIRING_WINDOW = timedelta(days=30)


class AccessAssignment(models.Model):
    """Gives the members of one partner security group some of a relationship's approved roles."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    relationship = models.ForeignKey(
        DelegatedAdminRelationship, on_delete=models.CASCADE, related_name="access_assignments"
    )
    security_group = models.ForeignKey(
        "tenants.SecurityGroup", on_delete=models.CASCADE, related_name="access_assignments"
    )
    roles = models.ManyToManyField(RoleDefinition, related_name="+", verbose_name=_("roles"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_modified_at = models.DateTimeField(_("last modified"), auto_now=True)

    class Meta:
        verbose_name = _("access assignment")
        verbose_name_plural = _("access assignments")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "security_group"], name="assignment_unique_group"
            )
        ]

    def __str__(self):
        return f"{self.security_group} in {self.relationship}"
