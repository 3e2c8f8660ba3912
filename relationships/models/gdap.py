"""GDAP: delegated admin relationships, their access assignments, and Graph's relationship
requests (carried out at once) and long-running operations."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from relationships.models.partner import REFERENCE_MAX


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
        "roles.RoleDefinition", related_name="+", verbose_name=_("requested roles")
    )
    approved_roles = models.ManyToManyField(
        "roles.RoleDefinition", blank=True, related_name="+", verbose_name=_("approved roles")
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
    # The partner's own note; never shown to the customer.
    reference = models.CharField(_("internal reference"), max_length=REFERENCE_MAX, blank=True)
    # Bumped on every save (and by the sweep): the ETag of Graph's If-Match checks.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        db_table = "roles_delegatedadminrelationship"
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
            # The lists of either side, newest first (selectors.relationships_of_parts).
            models.Index(fields=["partner", "-created_at"], name="gdap_partner_time"),
            models.Index(fields=["customer", "-created_at"], name="gdap_customer_time"),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        _bump_version(self, kwargs)
        super().save(*args, **kwargs)

    def effective_end(self, at: datetime) -> datetime | None:
        return extended_end(self.end_at, self.auto_extend_duration, at)

    ENDED = ("expired", "terminated", "declined")

    @cached_property
    def requested_role_list(self) -> list:
        """The requested roles, by name. The list selectors attach them for a page of
        relationships at once (relationships.selectors.with_roles); else read here."""
        return list(self.requested_roles.all())

    @cached_property
    def approved_role_list(self) -> list:
        """The approved roles, by name (attached for a page as requested_role_list is)."""
        return list(self.approved_roles.all())

    def status_at(self, at: datetime) -> str:
        """The status as clients read it: an active grant past its end reads expired at once."""
        if self.status == self.Status.ACTIVE:
            end = self.effective_end(at)
            if end is not None and end <= at:
                return self.Status.EXPIRED
        return self.status

    def real_end(self, at: datetime) -> datetime | None:
        """When access ends or ended, as of `at`: the planned (or auto-extended) end while
        it runs; once over, when it really ended: a termination or a decline at its time,
        an expiry at the end it reached (the sweep may record it a little later)."""
        status = self.status_at(at)
        if status in (self.Status.TERMINATED, self.Status.DECLINED):
            return self.ended_at or self.effective_end(at)
        if status == self.Status.EXPIRED:
            end = self.effective_end(at)
            if end is None or (self.ended_at is not None and self.ended_at < end):
                return self.ended_at
            return end
        return self.effective_end(at)

    def is_expiring(self, at: datetime) -> bool:
        end = self.effective_end(at)
        return (
            self.status_at(at) == self.Status.ACTIVE
            and end is not None
            and end - at <= EXPIRING_WINDOW
        )


EXPIRING_WINDOW = timedelta(days=30)


def _bump_version(obj, save_kwargs: dict) -> None:
    """Every save of a row is a new version (the rows are locked by the services that save)."""
    if obj._state.adding:
        return
    obj.version += 1
    fields = save_kwargs.get("update_fields")
    if fields is not None:
        save_kwargs["update_fields"] = {*fields, "version"}


class AccessAssignment(models.Model):
    """Gives the members of one partner security group some of a relationship's approved roles.

    Only an active assignment gives its roles. One made or removed through the Graph
    compatible API is pending (or deleting) until its background task completes it, as
    Microsoft's assignments are; the portal and /api/v1 complete it at once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACTIVE = "active", _("Active")
        DELETING = "deleting", _("Being removed")
        ERROR = "error", _("Error")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    relationship = models.ForeignKey(
        DelegatedAdminRelationship, on_delete=models.CASCADE, related_name="access_assignments"
    )
    security_group = models.ForeignKey(
        "tenants.SecurityGroup", on_delete=models.CASCADE, related_name="access_assignments"
    )
    roles = models.ManyToManyField(
        "roles.RoleDefinition", related_name="+", verbose_name=_("roles")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_modified_at = models.DateTimeField(_("last modified"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        db_table = "roles_accessassignment"
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

    def save(self, *args, **kwargs):
        _bump_version(self, kwargs)
        super().save(*args, **kwargs)


class RelationshipRequest(models.Model):
    """An action asked of a GDAP relationship (Graph's delegatedAdminRelationshipRequest):
    sending it for approval or terminating it. Liaison carries the action out at once, in
    the same transaction, so a request reads succeeded as soon as it exists."""

    class Action(models.TextChoices):
        LOCK_FOR_APPROVAL = "lock_for_approval", _("Send for approval")
        TERMINATE = "terminate", _("Terminate")

    class Status(models.TextChoices):
        CREATED = "created", _("Created")
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    relationship = models.ForeignKey(
        DelegatedAdminRelationship, on_delete=models.CASCADE, related_name="requests"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUCCEEDED
    )
    # The side that asked: the partner, or (terminate) the customer.
    requested_by_tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_modified_at = models.DateTimeField(_("last modified"), auto_now=True)

    class Meta:
        verbose_name = _("relationship request")
        verbose_name_plural = _("relationship requests")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["relationship", "created_at"], name="gdap_request_time")]

    def __str__(self):
        return f"{self.get_action_display()} ({self.relationship})"


class RelationshipOperation(models.Model):
    """Long-running work on a GDAP relationship (Graph's delegatedAdminRelationshipOperation):
    changing an access assignment's roles, or removing Global Administrator from an active
    relationship. A background task claims it (running) and completes it (succeeded or
    failed); `data` holds the change asked for, in Liaison's terms."""

    class Kind(models.TextChoices):
        ACCESS_ASSIGNMENT_UPDATE = "access_assignment_update", _("Access assignment change")
        RELATIONSHIP_UPDATE = "relationship_update", _("Relationship change")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    relationship = models.ForeignKey(
        DelegatedAdminRelationship, on_delete=models.CASCADE, related_name="operations"
    )
    access_assignment = models.ForeignKey(
        AccessAssignment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="operations",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    # {"role_ids": [...]} for an assignment, {"remove_role_ids": [...]} for a relationship.
    data = models.JSONField(_("data"), default=dict)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_modified_at = models.DateTimeField(_("last modified"), auto_now=True)

    class Meta:
        verbose_name = _("relationship operation")
        verbose_name_plural = _("relationship operations")
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["relationship", "created_at"], name="gdap_operation_time"),
            models.Index(fields=["status", "created_at"], name="gdap_operation_status"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"
