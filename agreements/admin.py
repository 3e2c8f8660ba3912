from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from agreements import services
from agreements.models import AgreementAcceptance, AgreementVersion
from audit.admin import AuditedModelAdmin, ReadOnlyAdmin
from core.errors import DomainError


@admin.register(AgreementVersion)
class AgreementVersionAdmin(AuditedModelAdmin):
    list_display = ["title", "version", "kind", "published_at", "created_at"]
    list_filter = ["kind", "published_at"]
    search_fields = ["title", "version"]
    readonly_fields = ["published_at", "created_at"]
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        # A published text is what tenants accepted: it is never edited afterwards.
        if obj is not None and obj.is_published:
            return ["kind", "version", "title", "body", "url", "published_at", "created_at"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_published

    @admin.action(description=_("Publish the selected versions"), permissions=["change"])
    def publish(self, request, queryset):
        for version in queryset.order_by("created_at"):
            try:
                services.publish_version(by=request.user, version_id=version.pk)
            except DomainError as exc:
                self.message_user(request, f"{version}: {exc.detail}", messages.ERROR)
            else:
                self.message_user(request, _("Published %(v)s.") % {"v": version})


@admin.register(AgreementAcceptance)
class AgreementAcceptanceAdmin(ReadOnlyAdmin):
    list_display = ["tenant", "version", "name", "email", "accepted_at", "ip"]
    list_filter = ["version", "accepted_at"]
    search_fields = ["tenant__name", "email", "name"]
    list_select_related = ["tenant", "version"]
    readonly_fields = [f.name for f in AgreementAcceptance._meta.fields]
