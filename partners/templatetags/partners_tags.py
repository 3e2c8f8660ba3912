"""Template helpers of the partner pages."""

from django import template

from partners import relationship_types

register = template.Library()


@register.filter
def relationship_type(code):
    """The RelationshipType for a code (None for an unknown one)."""
    return relationship_types.BY_CODE.get(str(code))


@register.simple_tag
def lead_badge(status) -> str:
    """The badge class of a lead status."""
    return {
        "new": "badge-warn",
        "contacted": "",
        "converted": "badge-ok",
        "closed": "badge-muted",
    }.get(str(status), "")
