import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Audit events are never changed or removed."""


class _Returned:
    """A column the database fills on insert (the chain trigger): read back by RETURNING."""

    db_returning = True


class ReturnedBigIntegerField(_Returned, models.BigIntegerField):
    pass


class ReturnedCharField(_Returned, models.CharField):
    pass


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    def for_tenant(self, tenant):
        return self.filter(models.Q(target_tenant=tenant) | models.Q(acting_tenant=tenant))


class AuditEvent(models.Model):
    """One domain event: who did what to which object, in which tenant. Append only.

    The foreign keys carry no database constraint: an event outlives the user or tenant it
    names, and deleting them must never rewrite the log.
    """

    class ActorKind(models.TextChoices):
        USER = "user", _("User")
        STAFF = "staff", _("Support staff")
        SYSTEM = "system", _("System")
        ANONYMOUS = "anonymous", _("Not signed in")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_kind = models.CharField(_("actor kind"), max_length=10, choices=ActorKind.choices)
    actor_email = models.CharField(_("actor email"), max_length=254, blank=True)
    acting_tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acting tenant"),
    )
    target_tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target tenant"),
    )
    # The delegated grant that allowed the action, when the actor was partner staff.
    relationship_id = models.UUIDField(_("relationship"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # The chain (audit/chain.py): each event's place, its predecessor's hash and its own
    # hash over every field above. On PostgreSQL a trigger fills them, for every insert.
    seq = ReturnedBigIntegerField(_("sequence"), unique=True, null=True, editable=False)
    prev_hash = ReturnedCharField(_("previous hash"), max_length=64, blank=True, editable=False)
    hash = ReturnedCharField(_("hash"), max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["target_tenant", "-occurred_at"], name="audit_target_time"),
            models.Index(fields=["acting_tenant", "-occurred_at"], name="audit_acting_time"),
        ]

    def __str__(self):
        return f"{self.action} {self.object_repr}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")
