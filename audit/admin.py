from django.contrib import admin

from audit.models import AuditEvent
from core.admin import ReadOnlyAdmin


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
