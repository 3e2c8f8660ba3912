from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedModelAdmin
from support.models import SupportComment, SupportRequest


class SupportCommentInline(admin.TabularInline):
    model = SupportComment
    extra = 0
    fields = ["created_at", "author", "acting_partner", "body"]
    readonly_fields = ["created_at", "author", "acting_partner"]
    show_change_link = True


@admin.register(SupportRequest)
class SupportRequestAdmin(AuditedModelAdmin):
    list_display = [
        "title",
        "tenant",
        "severity",
        "status",
        "created_by",
        "acting_partner",
        "comments_count",
        "created_at",
        "closed_at",
    ]
    list_filter = ["status", "severity", "created_at"]
    search_fields = ["title", "description", "tenant__name", "created_by__email", "id"]
    list_select_related = ["tenant", "created_by", "acting_partner"]
    autocomplete_fields = ["tenant", "created_by", "closed_by", "acting_partner"]
    readonly_fields = ["id", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [SupportCommentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_comments=Count("comments"))

    @admin.display(description=_("comments"), ordering="n_comments")
    def comments_count(self, obj):
        return obj.n_comments


@admin.register(SupportComment)
class SupportCommentAdmin(AuditedModelAdmin):
    list_display = [
        "short_body",
        "request",
        "tenant_name",
        "author",
        "acting_partner",
        "created_at",
    ]
    list_filter = ["created_at"]
    search_fields = ["body", "request__title", "request__tenant__name", "author__email"]
    list_select_related = ["request__tenant", "author", "acting_partner"]
    autocomplete_fields = ["request", "author", "acting_partner"]
    readonly_fields = ["id", "created_at"]

    @admin.display(description=_("comment"))
    def short_body(self, obj):
        return obj.body[:80]

    @admin.display(description=_("tenant"), ordering="request__tenant__name")
    def tenant_name(self, obj):
        return obj.request.tenant.name
