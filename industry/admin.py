from django.contrib import admin

from audit.admin import AuditedModelAdmin
from industry.models import IndustryApp


@admin.register(IndustryApp)
class IndustryAppAdmin(AuditedModelAdmin):
    list_display = ["name", "version", "tenant", "partner", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "submitted_at"]
    search_fields = ["name", "tenant__name", "partner__name", "submitted_by__email", "id"]
    list_select_related = ["tenant", "partner"]
    # Decisions belong to the customer (services, audited); support staff look up.
    readonly_fields = [
        "id",
        "tenant",
        "partner",
        "status",
        "submitted_by",
        "submitted_at",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    date_hierarchy = "submitted_at"

    def has_add_permission(self, request, obj=None):
        return False
