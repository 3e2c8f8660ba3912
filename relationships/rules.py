"""The domain rules of relationships in one place: what a GDAP request may ask for
(durations, roles, auto-extend), how often an invitation may be resent, when reminders go
out, which relationship types carry admin roles. Services enforce them; forms and
serializers call validate_request too, so a page and the API answer the same.
"""

import uuid
from datetime import timedelta

from django.utils.translation import gettext as _

from core.errors import InvalidState, ValidationError
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


def as_role_ids(values) -> list[uuid.UUID]:
    """Role definition ids (UUIDs or their text), in order, without repeats; 400 if one is
    not an id at all."""
    try:
        return list(dict.fromkeys(uuid.UUID(str(value)) for value in values or []))
    except ValueError:
        message = _("Unknown role definition id.")
        raise ValidationError(message, errors={"role_definition_ids": [message]}) from None


def check_customer(partner, customer) -> None:
    """A relationship's customer is another tenant than its partner (or not named yet)."""
    if customer is not None and customer.pk == partner.pk:
        raise ValidationError(
            _("A partner cannot ask for roles in its own tenant."),
            errors={"customer": [_("Choose another tenant.")]},
        )


def check_auto_extend(auto_extend_duration, roles) -> None:
    """Auto-extend is off or 180 days, and never with Global Administrator among roles (a
    relationship's roles; a new request's are checked by validate_request)."""
    if auto_extend_duration not in AUTO_EXTEND_CHOICES:
        raise ValidationError(
            _("Auto-extend is PT0S (off) or P180D."),
            errors={"auto_extend_duration": [_("Auto-extend is PT0S (off) or P180D.")]},
        )
    refusal = auto_extend_refusal(roles) if auto_extend_duration else None
    if refusal:
        raise ValidationError(
            refusal, code="auto_extend_blocked", errors={"auto_extend_duration": [refusal]}
        )


# While a relationship is active, its roles change only by dropping these (Microsoft's rule:
# Global Administrator may be removed, as a long-running operation; nothing may be added).
REMOVABLE_WHILE_ACTIVE = frozenset({catalog.GLOBAL_ADMINISTRATOR})


def roles_to_remove_while_active(approved_ids, wanted_ids) -> set:
    """The roles an active relationship's change of roles takes away (empty: no change).

    Refuses any change but dropping Global Administrator: adding a role, or removing
    another, needs a new relationship the customer approves.
    """
    approved, wanted = set(approved_ids), set(as_role_ids(wanted_ids))
    removed = approved - wanted
    if wanted - approved or not removed <= REMOVABLE_WHILE_ACTIVE or not wanted:
        raise InvalidState(
            _(
                "While a relationship is active its roles cannot change, except that Global "
                "Administrator may be removed."
            )
        )
    return removed


# How often a partner may resend an invitation.
RESEND_INTERVAL = timedelta(minutes=10)


# Expiry reminders: days before a relationship ends; each sent once.
REMINDER_DAYS = (30, 7, 1)


# The relationship types that carry admin roles (their grants end with them).
GDAP_TYPES = {types.GDAP, types.ADVISOR}


def require_partner(tenant):
    """Only a tenant with a partner profile invites customers or asks for roles; its profile."""
    profile = getattr(tenant, "partner_profile", None)
    if profile is None:
        raise InvalidState(_("Create your partner profile first: only partners ask customers."))
    return profile
