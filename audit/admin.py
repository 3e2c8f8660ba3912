"""Django admin for support staff: every change made there is audited (AuditedModelAdmin,
the base of every app's admin), and the audit log itself, read only."""

from django.contrib import admin

from audit.models import AuditEvent
from audit.services import record


def _tenant_of(obj):
    # The tenant model is the one audit events point at (audit sits below tenants).
    if isinstance(obj, AuditEvent._meta.get_field("target_tenant").related_model):
        return obj
    return getattr(obj, "tenant", None) or getattr(obj, "customer", None)


class AuditedModelAdmin(admin.ModelAdmin):
    """Records an audit event (actor kind: support staff) for each add, change and delete."""

    def log_addition(self, request, obj, message):
        record(
            "admin.object_added",
            actor=request.user,
            target_tenant=_tenant_of(obj),
            obj=obj,
            after={"change": str(message)},
        )
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        record(
            "admin.object_changed",
            actor=request.user,
            target_tenant=_tenant_of(obj),
            obj=obj,
            after={"change": _message_text(message)},
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            record(
                "admin.object_deleted",
                actor=request.user,
                target_tenant=_tenant_of(obj),
                obj=obj,
                before={"repr": str(obj)},
            )
        return super().log_deletions(request, queryset)


def _message_text(message) -> str:
    if isinstance(message, list):
        parts = []
        for item in message:
            for verb, detail in item.items():
                fields = ", ".join(detail.get("fields", [])) if isinstance(detail, dict) else ""
                parts.append(f"{verb} {fields}".strip())
        return "; ".join(parts)
    return str(message)


class ReadOnlyAdmin(AuditedModelAdmin):
    """For records nobody edits by hand (audit events, outbox rows, acceptances)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = [
        "occurred_at",
        "action",
        "actor_email",
        "actor_kind",
        "target_tenant",
        "acting_tenant",
        "object_repr",
        "ip",
    ]
    list_filter = ["actor_kind", "action", "occurred_at"]
    search_fields = ["action", "actor_email", "object_id", "object_repr"]
    date_hierarchy = "occurred_at"
    list_select_related = ["target_tenant", "acting_tenant"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
