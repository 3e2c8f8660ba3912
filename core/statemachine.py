"""State machines as tables: {(from_status, event): to_status}; anything else is InvalidState."""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from core.errors import InvalidState


def transition(obj, event: str, table: Mapping, *, field: str = "status") -> str:
    """Move obj along the table for event, or raise InvalidState; returns the new status."""
    current = getattr(obj, field)
    try:
        target = table[(current, event)]
    except KeyError:
        raise InvalidState(
            _("Cannot %(event)s: it is %(status)s.")
            % {"event": event.replace("_", " "), "status": current}
        ) from None
    setattr(obj, field, target)
    return target


def allowed_events(status: str, table: Mapping) -> list[str]:
    return [event for (source, event) in table if source == status]
