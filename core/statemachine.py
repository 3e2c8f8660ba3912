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
        labels = dict(obj._meta.get_field(field).choices or ())
        raise InvalidState(
            _("This is not possible while the status is “%(status)s”.")
            % {"status": labels.get(current, current)}
        ) from None
    setattr(obj, field, target)
    return target


def allowed_events(status: str, table: Mapping) -> list[str]:
    return [event for (source, event) in table if source == status]
