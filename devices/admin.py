from django.contrib import admin

from audit.admin import AuditedModelAdmin
from devices.models import AutopilotDevice


@admin.register(AutopilotDevice)
class AutopilotDeviceAdmin(AuditedModelAdmin):
    list_display = [
        "serial_number",
        "tenant",
        "manufacturer",
        "model",
        "group_tag",
        "registered_by",
        "registered_by_partner",
        "registered_at",
    ]
    list_filter = ["registered_at", "manufacturer"]
    search_fields = ["serial_number", "hash_digest", "tenant__name", "registered_by__email", "id"]
    list_select_related = ["tenant", "registered_by", "registered_by_partner"]
    # Registrations come through the services (uniqueness, audit); support staff look, fix
    # the group tag, or delete on a customer's request.
    readonly_fields = [
        "id",
        "tenant",
        "hardware_hash",
        "hash_digest",
        "serial_number",
        "registered_by",
        "registered_by_partner",
        "registered_at",
        "updated_at",
    ]
    date_hierarchy = "registered_at"

    def has_add_permission(self, request, obj=None):
        return False
