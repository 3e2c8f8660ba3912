"""The domain rules of relationships in one place: what a GDAP request may ask for
(durations, roles, auto-extend), how often an invitation may be resent, when reminders go
out, which relationship types carry admin roles. Services enforce them; forms and
serializers call validate_request too, so a page and the API answer the same.
"""

import uuid
from datetime import timedelta

from django.utils.translation import gettext as _

from core.errors import ValidationError
from partners import relationship_types as types
from roles import catalog

# What a GDAP request may ask for (Microsoft's limits).
DISPLAY_NAME_MAX = 50
MIN_DURATION = timedelta(days=1)
MAX_DURATION = timedelta(days=730)
AUTO_EXTEND = timedelta(days=180)
AUTO_EXTEND_CHOICES = (timedelta(0), AUTO_EXTEND)


def validate_request(*, display_name, duration, role_ids, auto_extend_duration) -> tuple:
    """Check a GDAP request (shared with invitations); returns (name, roles)."""
    errors: dict[str, list[str]] = {}
    name = (display_name or "").strip()
    if not name:
        errors["display_name"] = [_("A display name is required.")]
    elif len(name) > DISPLAY_NAME_MAX:
        errors["display_name"] = [_("At most %(n)d characters.") % {"n": DISPLAY_NAME_MAX}]
    if duration is None or not (MIN_DURATION <= duration <= MAX_DURATION):
        errors["duration"] = [_("The duration runs from 1 to 730 days (P1D to P730D).")]
    elif duration % timedelta(days=1):
        errors["duration"] = [_("The duration is a whole number of days.")]
    if auto_extend_duration not in AUTO_EXTEND_CHOICES:
        errors["auto_extend_duration"] = [_("Auto-extend is PT0S (off) or P180D.")]
    try:
        role_ids = list(dict.fromkeys(uuid.UUID(str(r)) for r in (role_ids or [])))
    except ValueError:
        role_ids = [None]  # reported below as an unknown role
    roles = catalog.get_roles(role_ids)
    if not role_ids:
        errors["role_definition_ids"] = [_("Choose at least one role.")]
    elif len(roles) != len(role_ids):
        errors["role_definition_ids"] = [_("Unknown role definition id.")]
    elif any(not r.gdap_assignable for r in roles):
        names = ", ".join(r.name for r in roles if not r.gdap_assignable)
        errors["role_definition_ids"] = [
            _("Not assignable through GDAP: %(names)s.") % {"names": names}
        ]
    elif auto_extend_duration and any(r.blocks_auto_extend for r in roles):
        errors["auto_extend_duration"] = [
            _("Auto-extend is not available when Global Administrator is requested.")
        ]
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], errors=errors)
    return name, roles


def auto_extend_refusal(roles) -> str | None:
    """Why a relationship with these roles may not extend itself (None: it may)."""
    blocking = sorted(r.name for r in roles if r.blocks_auto_extend)
    if not blocking:
        return None
    return _(
        "%(roles)s cannot extend automatically: a relationship that includes it ends on its "
        "planned date, and the customer approves such broad access again (Microsoft's rule)."
    ) % {"roles": ", ".join(blocking)}


# How often a partner may resend an invitation.
RESEND_INTERVAL = timedelta(minutes=10)


# Expiry reminders: days before a relationship ends; each sent once.
REMINDER_DAYS = (30, 7, 1)


# The relationship types that carry admin roles (their grants end with them).
GDAP_TYPES = {types.GDAP, types.ADVISOR}
