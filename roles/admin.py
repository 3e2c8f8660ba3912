from django.contrib import admin

from audit.admin import ReadOnlyAdmin
from roles.models import RoleDefinition


@admin.register(RoleDefinition)
class RoleDefinitionAdmin(ReadOnlyAdmin):
    list_display = ["name", "id", "is_privileged", "gdap_assignable", "blocks_auto_extend"]
    list_filter = ["is_privileged", "gdap_assignable"]
    search_fields = ["name", "id", "summary"]
