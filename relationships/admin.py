"""Django admin for support staff: invitations, partner relationships, requests to end them,
GDAP relationships (and the requests awaiting approval among them) and access assignments.

Support staff look everything up and act only through services (resend or cancel an
invitation, end relationship types on the customer's request, resolve a request to end,
terminate a GDAP relationship, revoke a group's access), each act audited as support
staff by its service. Destructive actions ask first, on a confirmation page.
"""

from django.contrib import admin, messages
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.admin import AuditedModelAdmin, confirmed
from core.errors import DomainError
from partners import relationship_types as types
from relationships import services
from relationships.models import (
    AccessAssignment,
    DelegatedAdminRelationship,
    EndRequest,
    Invitation,
    PartnerRelationship,
)


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
        "relationship_types_text",
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

    @admin.display(description=_("relationship types"))
    def relationship_types_text(self, obj):
        return ", ".join(str(types.label(c)) for c in obj.relationship_types or []) or "\u2013"

    @admin.action(description=_("Resend (new link, mailed to the invited address)"))
    @confirmed(
        title=_("Resend these invitations?"),
        body=_("Each gets a new link, mailed to the invited address; the old link stops working."),
        confirm_label=_("Yes, resend"),
    )
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
    @confirmed(
        title=_("Cancel these invitations?"),
        body=_("Their links stop working at once. This cannot be undone."),
        confirm_label=_("Yes, cancel them"),
    )
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

    label = types.get(code).label

    @confirmed(
        title=format_lazy(_("End “{type}” for these relationships?"), type=label),
        body=_(
            "Do this only on the customer's written request. The partner loses what this "
            "type unlocks at once; both sides are told by mail."
        ),
        confirm_label=_("Yes, end it"),
    )
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
    action.short_description = format_lazy(_("End “{type}” on the customer's request"), type=label)
    action.allowed_permissions = ("change",)
    return action


@admin.register(PartnerRelationship)
class PartnerRelationshipAdmin(ActOnlyAdmin):
    list_display = ["customer", "partner", "types_display", "started_at", "ended_at"]
    list_filter = ["started_at", "ended_at"]
    search_fields = ["customer__name", "partner__name"]
    list_select_related = ["customer", "partner"]
    readonly_fields = fields = ["customer", "partner", "types_display", "started_at", "ended_at"]
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


def _role_list(roles) -> str:
    return ", ".join(sorted(r.name for r in roles)) or "\u2013"


class _ExpiresSoonFilter(admin.SimpleListFilter):
    title = _("end date")
    parameter_name = "ends"

    def lookups(self, request, model_admin):
        return [("30", _("within 30 days")), ("past", _("already past"))]

    def queryset(self, request, queryset):
        from datetime import timedelta

        from django.utils import timezone

        now = timezone.now()
        if self.value() == "30":
            return queryset.filter(end_at__gt=now, end_at__lte=now + timedelta(days=30))
        if self.value() == "past":
            return queryset.filter(end_at__lte=now)
        return queryset


class AccessAssignmentInline(admin.TabularInline):
    model = AccessAssignment
    extra = 0
    can_delete = False
    fields = readonly_fields = ["security_group", "roles_text", "created_at"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("roles"))
    def roles_text(self, obj):
        return _role_list(obj.roles.all())


@admin.register(DelegatedAdminRelationship)
class DelegatedAdminRelationshipAdmin(ActOnlyAdmin):
    """GDAP relationships; those approval_pending are the requests awaiting the customer."""

    list_display = [
        "display_name",
        "partner",
        "customer",
        "status",
        "duration_days",
        "auto_extends",
        "end_at",
    ]
    list_filter = ["status", _ExpiresSoonFilter, "created_at"]
    search_fields = ["display_name", "partner__name", "customer__name", "id"]
    list_select_related = ["partner", "customer"]
    date_hierarchy = "created_at"
    inlines = [AccessAssignmentInline]
    fields = readonly_fields = [
        "id",
        "display_name",
        "partner",
        "customer",
        "status",
        "duration_days",
        "auto_extends",
        "requested_roles_text",
        "approved_roles_text",
        "created_by",
        "created_at",
        "activated_at",
        "end_at",
        "ended_at",
        "last_reminder_days",
    ]
    actions = ["terminate"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("requested_roles", "approved_roles")

    @admin.display(description=_("duration (days)"))
    def duration_days(self, obj):
        return obj.duration.days

    @admin.display(description=_("auto-extends"), boolean=True)
    def auto_extends(self, obj):
        return bool(obj.auto_extend_duration)

    @admin.display(description=_("requested roles"))
    def requested_roles_text(self, obj):
        return _role_list(obj.requested_roles.all())

    @admin.display(description=_("approved roles"))
    def approved_roles_text(self, obj):
        return _role_list(obj.approved_roles.all())

    @admin.action(description=_("Terminate on the customer's request"), permissions=["change"])
    @confirmed(
        title=_("Terminate these GDAP relationships?"),
        body=_(
            "The partner's staff lose every role of these relationships in the customer "
            "tenant at once. This cannot be undone; both sides are told by mail."
        ),
        confirm_label=_("Yes, terminate"),
    )
    def terminate(self, request, queryset):
        self.run_service(
            request,
            queryset,
            lambda by, pk: services.terminate_relationship_as_support(by=by, relationship_id=pk),
            lambda n: (
                ngettext("%(n)d relationship terminated.", "%(n)d relationships terminated.", n)
                % {"n": n}
            ),
        )


@admin.register(AccessAssignment)
class AccessAssignmentAdmin(ActOnlyAdmin):
    list_display = ["security_group", "relationship", "partner", "customer", "roles_text"]
    search_fields = [
        "security_group__name",
        "relationship__display_name",
        "relationship__partner__name",
        "relationship__customer__name",
    ]
    list_filter = ["relationship__status", "created_at"]
    list_select_related = [
        "security_group",
        "relationship__partner",
        "relationship__customer",
    ]
    fields = readonly_fields = ["relationship", "security_group", "roles_text", "created_at"]
    actions = ["revoke"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("roles")

    def has_revoke_permission(self, request):
        return request.user.has_perm("relationships.change_accessassignment")

    @admin.display(description=_("partner"))
    def partner(self, obj):
        return obj.relationship.partner

    @admin.display(description=_("customer"))
    def customer(self, obj):
        return obj.relationship.customer

    @admin.display(description=_("roles"))
    def roles_text(self, obj):
        return _role_list(obj.roles.all())

    @admin.action(description=_("Revoke the group's access"), permissions=["revoke"])
    @confirmed(
        title=_("Revoke these access assignments?"),
        body=_("The group's members lose these roles in the customer tenant at once."),
        confirm_label=_("Yes, revoke"),
    )
    def revoke(self, request, queryset):
        self.run_service(
            request,
            queryset,
            lambda by, pk: services.revoke_access_assignment_as_support(by=by, assignment_id=pk),
            lambda n: ngettext("%(n)d access revoked.", "%(n)d accesses revoked.", n) % {"n": n},
        )
