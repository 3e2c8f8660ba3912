from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedModelAdmin, confirmed, readable_json
from notifications import services
from notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(AuditedModelAdmin):
    list_display = [
        "created_at",
        "to",
        "template",
        "language",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "error_shown",
    ]
    list_filter = ["status", "template", "language"]
    search_fields = ["to", "subject", "message_id"]
    # The bodies as they may be shown: secret links masked even before the mail is sent.
    readonly_fields = [
        *(
            f.name
            for f in OutboxMessage._meta.fields
            if f.name not in ("subject", "body_text", "body_html", "context")
        ),
        "subject_shown",
        "text_shown",
        "html_shown",
        "context_text",
    ]
    fields = readonly_fields  # the raw bodies are never on the page

    @admin.display(description=_("context"))
    def context_text(self, obj):
        return readable_json(obj.context)

    actions = ["requeue"]

    @admin.display(description=_("last error"))
    def error_shown(self, message):
        return message.last_error[:80]

    @admin.display(description=_("subject"))
    def subject_shown(self, message):
        return services.masked_bodies(message)[0]

    @admin.display(description=_("text body"))
    def text_shown(self, message):
        return services.masked_bodies(message)[1]

    @admin.display(description=_("HTML body"))
    def html_shown(self, message):
        return services.masked_bodies(message)[2]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=_("Send the selected messages again (pending, failed, dead)"),
        permissions=["view"],
    )
    @confirmed(
        title=_("Queue these messages again?"),
        body=_(
            "Pending, failed and dead-lettered messages are sent at once and retried again "
            "for the full period; sent ones are left alone."
        ),
        confirm_label=_("Yes, queue them"),
    )
    def requeue(self, request, queryset):
        queued = services.requeue(
            by=request.user, message_ids=queryset.values_list("pk", flat=True)
        )
        self.message_user(request, _("%(n)d messages queued.") % {"n": queued}, messages.SUCCESS)
