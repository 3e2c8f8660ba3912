"""Small template helpers of the layout: catalog lookups and audit summaries."""

import uuid

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.translation import gettext as _

from audit.labels import action_label
from roles import catalog

register = template.Library()

EMPTY = "\u2013"  # an en dash stands for "no value"


@register.filter
def catalog_role(value):
    """The RoleDefinition for a role id (UUID or string), from the in-process catalog."""
    try:
        role_id = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None
    return catalog.roles_by_id().get(role_id)


def _show(value) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, list | tuple):
        return ", ".join(_show(v) for v in value) or EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


@register.filter
def audit_changes(event) -> list[dict]:
    """[{"field", "before", "after"}] for every key in an event's before/after summary."""
    before, after = event.before or {}, event.after or {}
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return [
        {
            "field": key.replace("_", " "),
            "before": _show(before.get(key)) if key in before else None,
            "after": _show(after.get(key)) if key in after else None,
        }
        for key in keys
    ]


@register.filter
def audit_action(action: str) -> str:
    """An audit action code as people read it ("invitation.accepted" → "Invitation accepted")."""
    return action_label(action)


@register.filter
def time_tag(value, fmt="DATETIME_FORMAT"):
    """<time datetime="ISO">formatted</time>, safe to place inside a translated sentence."""
    if not value:
        return EMPTY
    return format_html(
        '<time datetime="{}">{}</time>', date_filter(value, "c"), date_filter(value, fmt)
    )
