"""Form helpers shared by the apps' HTML views."""

import uuid

from django import forms


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
