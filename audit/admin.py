"""Django admin for support staff: every change made there is audited (AuditedModelAdmin,
the base of every app's admin), and the audit log itself, read only."""

import json

from django.contrib import admin
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

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


def confirmed(*, title, body, confirm_label):
    """Wraps a destructive changelist action: the first POST shows a confirmation page
    listing the selected rows (templates/admin/liaison_confirm_action.html); only the
    second, with "confirm" ticked, runs the action. Each row's change goes through one
    audited service call inside the action."""

    def wrap(action):
        def run(modeladmin, request, queryset):
            if request.POST.get("confirm") == "yes":
                return action(modeladmin, request, queryset)
            opts = modeladmin.model._meta
            return TemplateResponse(
                request,
                "admin/liaison_confirm_action.html",
                {
                    **modeladmin.admin_site.each_context(request),
                    "title": title,
                    "body": body,
                    "confirm_label": confirm_label,
                    "objects": list(queryset[:200]),
                    "count": queryset.count(),
                    "action": request.POST.get("action", action.__name__),
                    "opts": opts,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
                    "select_across": request.POST.get("select_across", "0"),
                },
            )

        run.__name__ = action.__name__
        run.__doc__ = action.__doc__
        for attr in ("short_description", "allowed_permissions"):
            if hasattr(action, attr):
                setattr(run, attr, getattr(action, attr))
        return run

    return wrap


def readable_json(value) -> str:
    """A JSON field as people read it: lists as "a, b", objects as "key: value" lines."""
    if value in (None, "", [], {}):
        return "\u2013"
    if isinstance(value, list):
        return ", ".join(readable_json(item) for item in value)
    if isinstance(value, dict):
        return format_html(
            "<dl class='liaison-json'>{}</dl>",
            format_html_join_pairs(value),
        )
    return str(value)


def format_html_join_pairs(mapping: dict):
    from django.utils.html import format_html_join

    return format_html_join(
        "",
        "<dt>{}</dt><dd>{}</dd>",
        (
            (
                str(key).replace("_", " "),
                readable_json(val)
                if isinstance(val, list | dict)
                else json.dumps(val, ensure_ascii=False).strip('"'),
            )
            for key, val in mapping.items()
        ),
    )


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
    exclude = ["before", "after"]
    readonly_fields = [
        *(f.name for f in AuditEvent._meta.fields if f.name not in ("before", "after")),
        "before_text",
        "after_text",
    ]

    @admin.display(description=_("before"))
    def before_text(self, obj):
        return readable_json(obj.before)

    @admin.display(description=_("after"))
    def after_text(self, obj):
        return readable_json(obj.after)
