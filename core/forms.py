"""Form helpers shared by the apps' HTML views."""

import datetime
import uuid

from django import forms
from django.utils import timezone


def apply_domain_error(form: forms.Form, exc, aliases: dict | None = None) -> None:
    """Put a service's domain error onto form: the detail on top (the error summary), each
    field message by its field. `aliases` maps the services' field names (the API's) to the
    form's where they differ."""
    form.add_error(None, exc.detail)
    aliases = aliases or {}
    for field, messages in (getattr(exc, "errors", None) or {}).items():
        name = aliases.get(field, field)
        if name in form.fields:
            for message in [messages] if isinstance(messages, str) else messages:
                form.add_error(name, str(message))


def as_uuid(value) -> uuid.UUID:
    """Coerce a form value to a UUID (TypedChoiceField coerce=)."""
    return uuid.UUID(str(value))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def midnight(day: datetime.date) -> datetime.datetime:
    """The start of day as an aware datetime (UTC)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
