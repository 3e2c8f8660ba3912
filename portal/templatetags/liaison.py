"""Small template helpers of the layout: catalog lookups and audit summaries."""

import uuid

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import stringfilter
from django.utils.html import format_html
from django.utils.translation import gettext as _

from audit.labels import action_label
from core.text import format_money, format_number, join_sentence, one_full_stop
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


@register.filter
def money(amount, currency="") -> str:
    """{{ product.unit_price|money:product.currency }}: "26.40 EUR" / "26,40 EUR"."""
    if amount is None or amount == "":
        return EMPTY
    return format_money(amount, currency)


@register.filter
def number(value) -> str:
    """A number with the active language's separators, thousands grouped."""
    if value is None or value == "":
        return EMPTY
    return format_number(value)


@register.filter(is_safe=True)
@stringfilter
def one_stop(text):
    """Collapses the doubled full stop a name ending in one leaves at a sentence's end:
    {% filter one_stop %}{% blocktranslate %}...{{ name }}.{% endblocktranslate %}{% endfilter %}"""
    return one_full_stop(text)


@register.filter
def sentence(text) -> str:
    """text ending in exactly one full stop ("Contoso Ltd." is not followed by another)."""
    return join_sentence(text)


ROLE_KEYS = {"roles", "approved_roles", "requested_roles"}


@register.filter
def role_names(names) -> list[str]:
    """English role names (as audit events and mail context store them) in the active
    language: Microsoft's German names in German."""
    return [catalog.localized_name(str(name)) for name in names or []]


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

    def shown(summary, key):
        value = summary.get(key)
        if key in ROLE_KEYS and isinstance(value, list):
            value = role_names(value)
        return _show(value)

    return [
        {
            "field": key.replace("_", " "),
            "before": shown(before, key) if key in before else None,
            "after": shown(after, key) if key in after else None,
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
