"""Filters of the audit log, shared by the page and the API."""

import contextlib
import datetime
import uuid

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from audit.labels import action_label, area_label
from audit.models import AuditEvent
from core.forms import DateInput, midnight


class MomentField(forms.Field):
    """An ISO 8601 time, or a day: a day starts at its midnight (start) or ends at the
    midnight after it (end), so "until 2026-03-31" includes the whole 31st."""

    def __init__(self, *, bound: str, **kwargs):
        self.bound = bound
        super().__init__(**kwargs)

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        if len(value) > 40 or "\x00" in value:
            raise forms.ValidationError(_("Enter a date (2026-03-31) or an ISO 8601 time."))
        try:
            # A bare day first: parse_datetime() would read "2026-03-31" as its midnight.
            day = parse_date(value) if len(value) == 10 else None
            moment = None if day else parse_datetime(value)
        except ValueError:
            moment = day = None
        if moment is not None:
            return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
        if day is not None:
            return (
                midnight(day + datetime.timedelta(days=1)) if self.bound == "end" else midnight(day)
            )
        raise forms.ValidationError(_("Enter a date (2026-03-31) or an ISO 8601 time."))


class MomentFilter(django_filters.Filter):
    field_class = MomentField


# Narrower views of the log that only a higher app can compute, by filter name: a function
# (tenant, value) -> (label, Q) or None (None: nothing of that tenant's, so nothing shown).
# relationships/apps.py registers "relationship": the history of one relationship.
SCOPES: dict = {}


def register_scope(name: str, scope) -> None:
    SCOPES[name] = scope


PERIODS = {
    "1d": datetime.timedelta(days=1),
    "7d": datetime.timedelta(days=7),
    "30d": datetime.timedelta(days=30),
    "90d": datetime.timedelta(days=90),
    "365d": datetime.timedelta(days=365),
}
SYSTEM_ACTOR = "system"
STAFF_ACTOR = "staff"


class AuditEventFilter(django_filters.FilterSet):
    """action: an exact action, or a prefix ending in "." (every "invitation." event);
    period (the last day, 7, 30, 90 or 365 days), since (inclusive) and until (exclusive; a
    day counts whole); actor: an email, or "system" or "staff"; object_type ("app.model");
    object: an object's id (also what was done through it, for a GDAP relationship);
    relationship: the history of a partner or GDAP relationship of this tenant."""

    action = django_filters.CharFilter(label=_("Action"), method="filter_action", max_length=80)
    period = django_filters.ChoiceFilter(
        label=_("Period"),
        choices=[
            ("1d", _("Last 24 hours")),
            ("7d", _("Last 7 days")),
            ("30d", _("Last 30 days")),
            ("90d", _("Last 90 days")),
            ("365d", _("Last year")),
        ],
        empty_label=_("Any time"),
        method="filter_period",
    )
    since = MomentFilter(
        label=_("From"), field_name="occurred_at", lookup_expr="gte", bound="start"
    )
    until = MomentFilter(label=_("To"), field_name="occurred_at", lookup_expr="lt", bound="end")
    actor = django_filters.CharFilter(label=_("Who"), method="filter_actor", max_length=254)
    object_type = django_filters.CharFilter(
        label=_("Kind of object"), field_name="object_type", max_length=80
    )
    object = django_filters.CharFilter(label=_("Object id"), method="filter_object", max_length=64)
    relationship = django_filters.CharFilter(
        label=_("Relationship"), method="filter_relationship", max_length=64
    )

    class Meta:
        model = AuditEvent
        fields = ["action", "period", "since", "until", "actor", "object_type", "object"]

    def __init__(self, *args, tenant=None, actions=None, actors=None, object_types=None, **kw):
        super().__init__(*args, **kw)
        self.tenant = tenant
        self.scope_label = ""
        if actions is not None:  # the page offers what the log holds, as people read it
            self.form.fields["action"] = forms.ChoiceField(
                label=_("Action"), required=False, choices=action_choices(actions)
            )
            for name in ("since", "until"):
                self.form.fields[name].widget = DateInput()
        if actors is not None:
            self.form.fields["actor"] = forms.ChoiceField(
                label=_("Who"),
                required=False,
                choices=[
                    ("", _("Anyone")),
                    (STAFF_ACTOR, _("Liaison support")),
                    (SYSTEM_ACTOR, _("Liaison (automatic)")),
                    *[(email, email) for email in actors],
                ],
            )
        if object_types is not None:
            self.form.fields["object_type"] = forms.ChoiceField(
                label=_("Kind of object"),
                required=False,
                choices=[("", _("Any kind")), *object_types],
            )

    def filter_action(self, queryset, name, value):
        if value.endswith("."):
            return queryset.filter(action__startswith=value)
        return queryset.filter(action=value)

    def filter_period(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=timezone.now() - PERIODS[value])

    def filter_actor(self, queryset, name, value):
        value = value.strip()
        if value == SYSTEM_ACTOR:
            return queryset.filter(actor_kind=AuditEvent.ActorKind.SYSTEM)
        if value == STAFF_ACTOR:
            return queryset.filter(actor_kind=AuditEvent.ActorKind.STAFF)
        return queryset.filter(actor_email__iexact=value)

    def filter_object(self, queryset, name, value):
        match = Q(object_id=value)
        with contextlib.suppress(ValueError):
            match |= Q(relationship_id=uuid.UUID(value))
        return queryset.filter(match)

    def filter_relationship(self, queryset, name, value):
        scope = SCOPES.get("relationship")
        found = scope(self.tenant, value) if scope and self.tenant is not None else None
        if found is None:
            return queryset.none()
        self.scope_label, match = found
        return queryset.filter(match)

    def is_valid(self):
        valid = super().is_valid()
        data = self.form.cleaned_data if valid else {}
        if valid and data.get("since") and data.get("until") and data["since"] >= data["until"]:
            self.form.add_error("until", _("The end is before the start."))
            return False
        return valid


def action_choices(actions) -> list:
    """The page's action choices: by area, each area first as a whole ("every …")."""
    areas: dict = {}
    for action in actions:
        areas.setdefault(action.split(".", 1)[0], []).append(action)
    choices: list = [("", _("All actions"))]
    for area, codes in sorted(areas.items(), key=lambda item: area_label(item[0])):
        group = [(f"{area}.", _("All: %(area)s") % {"area": area_label(area)})]
        group += sorted(((c, action_label(c)) for c in codes), key=lambda c: c[1])
        choices.append((area_label(area), group))
    return choices
