"""Django admin for support staff: invitations, partner relationships, requests to end them.

Support staff look everything up and act only through services (resend or cancel an
invitation, end relationship types on the customer's request, resolve a request to end),
each act audited as support staff by its service.
"""

from django.contrib import admin, messages
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.admin import AuditedModelAdmin
from core.errors import DomainError
from partners import relationship_types as types
from relationships import services
from relationships.models import EndRequest, Invitation, PartnerRelationship


class ActOnlyAdmin(AuditedModelAdmin):
    """Rows are read in the form and changed only through the changelist actions."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # The change permission unlocks the actions; the detail page stays read-only.
        return obj is None and super().has_change_permission(request)

    def run_service(self, request, queryset, service, done_message) -> None:
        done = 0
        for pk in queryset.values_list("pk", flat=True):
            try:
                service(by=request.user, pk=pk)
            except DomainError as exc:
                self.message_user(request, f"{exc.detail}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)


@admin.register(Invitation)
class InvitationAdmin(ActOnlyAdmin):
    list_display = [
        "email",
        "partner",
        "customer",
        "status",
        "expires_at",
        "resent_count",
        "sent_at",
    ]
    list_filter = ["status", "expires_at", "sent_at"]
    search_fields = ["email", "partner__name", "customer__name"]
    list_select_related = ["partner", "customer"]
    date_hierarchy = "sent_at"
    actions = ["resend", "cancel"]
    fields = [
        "partner",
        "email",
        "customer",
        "relationship_types",
        "message",
        "lead",
        "gdap_relationship",
        "status",
        "expires_at",
        "created_by",
        "created_at",
        "sent_at",
        "last_sent_at",
        "resent_count",
        "responded_at",
        "responded_by",
        "accepted_tenant",
    ]  # never the token hash
    readonly_fields = fields

    @admin.action(description=_("Resend (new link, mailed to the invited address)"))
    def resend(self, request, queryset):
        self.run_service(
            request,
            queryset,
            lambda by, pk: services.resend_invitation_as_support(by=by, invitation_id=pk),
            lambda n: (
                ngettext("%(n)d invitation resent.", "%(n)d invitations resent.", n) % {"n": n}
            ),
        )

    @admin.action(description=_("Cancel (the link stops working)"))
    def cancel(self, request, queryset):
        self.run_service(
            request,
            queryset,
            lambda by, pk: services.cancel_invitation_as_support(by=by, invitation_id=pk),
            lambda n: (
                ngettext("%(n)d invitation cancelled.", "%(n)d invitations cancelled.", n)
                % {"n": n}
            ),
        )

    resend.allowed_permissions = cancel.allowed_permissions = ("change",)


def _end_type_action(code: str):
    """A changelist action that ends one relationship type on the customer's request."""

    def action(modeladmin, request, queryset):
        modeladmin.run_service(
            request,
            queryset,
            lambda by, pk: services.end_relationship_types_for_customer(
                by=by, relationship_id=pk, codes=[code]
            ),
            lambda n: (
                ngettext("%(n)d relationship changed.", "%(n)d relationships changed.", n)
                % {"n": n}
            ),
        )

    action.__name__ = f"end_{code}"
    action.short_description = format_lazy(
        _("End “{type}” on the customer's request"), type=types.get(code).label
    )
    action.allowed_permissions = ("change",)
    return action


@admin.register(PartnerRelationship)
class PartnerRelationshipAdmin(ActOnlyAdmin):
    list_display = ["customer", "partner", "types_display", "started_at", "ended_at"]
    list_filter = ["started_at", "ended_at"]
    search_fields = ["customer__name", "partner__name"]
    list_select_related = ["customer", "partner"]
    readonly_fields = fields = ["customer", "partner", "types", "started_at", "ended_at"]
    actions = [_end_type_action(t.code) for t in types.TYPES if t.assignable]

    @admin.display(description=_("relationship types"))
    def types_display(self, obj):
        return ", ".join(label for _code, label in obj.type_labels()) or "—"


@admin.register(EndRequest)
class EndRequestAdmin(ActOnlyAdmin):
    list_display = ["relationship", "requested_by", "status", "created_at", "resolved_at"]
    list_filter = ["status", "created_at"]
    search_fields = [
        "relationship__customer__name",
        "relationship__partner__name",
        "requested_by__email",
    ]
    list_select_related = [
        "relationship__customer",
        "relationship__partner",
        "requested_by",
    ]
    readonly_fields = fields = [
        "relationship",
        "requested_by",
        "message",
        "status",
        "created_at",
        "resolved_at",
        "resolved_by",
    ]
    actions = ["resolve"]

    @admin.action(description=_("Mark resolved"), permissions=["change"])
    def resolve(self, request, queryset):
        self.run_service(
            request,
            queryset,
            lambda by, pk: services.resolve_end_request(by=by, end_request_id=pk),
            lambda n: ngettext("%(n)d request resolved.", "%(n)d requests resolved.", n) % {"n": n},
        )
