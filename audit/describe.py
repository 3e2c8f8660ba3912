"""Audit events as people read them: when, who (a partner's technician with their partner),
in which tenant, what (a sentence, audit.sentences), on which object, and the changes with
labelled, formatted values (no codes, dictionaries or ids).

audit sits below the apps whose events it shows, so those apps teach it their words from
their apps.py: register_values() for values only they can name (relationship types, for
example). Object kinds come from the model registry at run time (no import of the app).
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.template.defaultfilters import date as date_filter
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from audit.labels import FIELD_LABELS, VALUE_LABELS, action_label
from audit.models import AuditEvent
from audit.sentences import SENTENCES, SWITCHED

EMPTY = "\u2013"

# Values that only a higher app can name: {key: function(value) -> readable text}.
_VALUE_FORMATTERS: dict = {}

# Keys whose values are ids, hashes or internals: kept in the API and the CSV's raw export,
# never shown as a change.
HIDDEN_KEYS = {
    "id",
    "invitation",
    "relationship",
    "lead",
    "customer",
    "partner_id",
    "registered_by_partner",
    "comment_id",
    "hash_digest",
    "serial_numbers",
    "source",
}


# Keys whose values are codes (statuses, sides, channels) rather than names people typed.
CODE_KEYS = {"status", "by", "severity", "channel", "via"}


def register_values(keys, formatter) -> None:
    """A higher app names the values of these keys (called from its apps.py)."""
    for key in keys:
        _VALUE_FORMATTERS[key] = formatter


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None
    after: str | None


@dataclass
class Entry:
    """One event as the log shows it."""

    event: AuditEvent
    who: str
    organisation: str
    is_technician: bool
    kind: str  # user, staff, system
    tenant: str
    what: str
    object_kind: str
    object: str
    changes: list[Change] = field(default_factory=list)


def _is_id(value) -> bool:
    try:
        uuid.UUID(str(value))
    except (ValueError, AttributeError, TypeError):
        return False
    return True


def _as_time(value):
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] in "T ":
        try:
            return parse_datetime(value)
        except ValueError:
            return None
    return None


def fmt(key: str, value) -> str:
    """A recorded value as text in the reader's language."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, list | tuple):
        return ", ".join(fmt(key, v) for v in value) or EMPTY
    if key in _VALUE_FORMATTERS and isinstance(value, str):
        return str(_VALUE_FORMATTERS[key](value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        parts = [f"{label(k)}: {fmt(k, v)}" for k, v in value.items() if k not in HIDDEN_KEYS]
        return "; ".join(parts) or EMPTY
    moment = _as_time(value)
    if moment is not None:
        return date_filter(moment, "DATETIME_FORMAT")
    text = str(value)
    if key in CODE_KEYS and text in VALUE_LABELS:
        return str(VALUE_LABELS[text])
    return text


def _language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


register_values(["language"], _language_name)


def label(key: str) -> str:
    found = FIELD_LABELS.get(key)
    return str(found) if found else key.replace("_", " ").capitalize()


class _Values(dict):
    def __missing__(self, key):
        return EMPTY


def object_kind(object_type: str) -> str:
    """ "relationships.invitation" as its model's name ("invitation"), in the reader's language."""
    if not object_type:
        return ""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type.rsplit(".", 1)[-1]


def sentence(event: AuditEvent) -> str:
    after, before = event.after or {}, event.before or {}
    values = _Values()
    for key, value in before.items():
        values[f"before_{key}"] = fmt(key, value)
    for key, value in after.items():
        values[key] = fmt(key, value)
    values["object"] = event.object_repr or EMPTY
    values["object_type"] = object_kind(event.object_type)
    target = event.target_tenant if event.target_tenant_id else None
    values["tenant"] = target.name if target is not None else EMPTY
    if "auto_extend_days" in after:
        values["switched"] = str(SWITCHED[bool(after.get("auto_extend_days"))])
    template = SENTENCES.get(event.action)
    if template is None:
        return action_label(event.action)
    try:
        text = str(template) % values
    except (TypeError, ValueError, KeyError):
        return action_label(event.action)
    gdap = after.get("gdap") if event.action == "invitation.sent" else None
    if isinstance(gdap, dict) and gdap.get("roles"):
        text += "; " + _("admin roles asked for: %(roles)s for %(days)s days") % {
            "roles": fmt("roles", gdap.get("roles")),
            "days": gdap.get("duration_days", EMPTY),
        }
    return text


def changes(event: AuditEvent) -> list[Change]:
    before, after = event.before or {}, event.after or {}
    keys = [k for k in dict.fromkeys([*before, *after]) if k not in HIDDEN_KEYS]
    rows = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        if _is_id(new) or _is_id(old):
            continue
        rows.append(
            Change(
                field=label(key),
                before=fmt(key, old) if key in before else None,
                after=fmt(key, new) if key in after else None,
            )
        )
    return rows


def _tenant_name(event) -> str:
    target = event.target_tenant if event.target_tenant_id else None
    return target.name if target is not None else ""


SYSTEM = gettext_lazy("Liaison (automatic)")
SUPPORT = gettext_lazy("Liaison support")


def describe(event: AuditEvent) -> Entry:
    """The event as a row of the log (needs acting_tenant, target_tenant and actor loaded)."""
    kind = event.actor_kind
    technician = bool(event.relationship_id)
    organisation = ""
    if kind == AuditEvent.ActorKind.SYSTEM:
        who = str(SYSTEM)
    elif kind == AuditEvent.ActorKind.STAFF:
        who = event.actor_email or str(SUPPORT)
        organisation = str(SUPPORT)
    else:
        who = event.actor_email or EMPTY
        acting = event.acting_tenant if event.acting_tenant_id else None
        elsewhere = event.acting_tenant_id != event.target_tenant_id
        if acting is not None and (technician or elsewhere):
            organisation = acting.name
    return Entry(
        event=event,
        who=who,
        organisation=organisation,
        is_technician=technician and bool(organisation),
        kind=kind,
        tenant=_tenant_name(event),
        what=sentence(event),
        object_kind=object_kind(event.object_type),
        object=event.object_repr,
        changes=changes(event),
    )


CSV_HEADER = [
    "When",
    "Who",
    "Organisation",
    "Partner technician",
    "Tenant",
    "Action",
    "What",
    "Object type",
    "Object",
    "Changes",
    "IP address",
]


def csv_rows(events):
    """CSV lines of events (the header is CSV_HEADER; the sentences in the reader's language)."""
    for event in events:
        entry = describe(event)
        yield [
            event.occurred_at.isoformat(),
            entry.who,
            entry.organisation,
            "yes" if entry.is_technician else "",
            entry.tenant,
            event.action,
            entry.what,
            entry.object_kind,
            entry.object,
            "; ".join(
                f"{c.field}: {c.before + ' → ' if c.before is not None else ''}{c.after or ''}"
                for c in entry.changes
            ),
            event.ip or "",
        ]
