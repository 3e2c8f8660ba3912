"""Filters of the audit log, shared by the page and the API."""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

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


class AuditEventFilter(django_filters.FilterSet):
    """action: an exact action, or a prefix ending in "." (every "invitation." event);
    since (inclusive) and until (exclusive; a day counts whole)."""

    action = django_filters.CharFilter(label=_("Action"), method="filter_action", max_length=80)
    since = MomentFilter(
        label=_("From"), field_name="occurred_at", lookup_expr="gte", bound="start"
    )
    until = MomentFilter(label=_("To"), field_name="occurred_at", lookup_expr="lt", bound="end")

    class Meta:
        model = AuditEvent
        fields = ["action", "since", "until"]

    def __init__(self, *args, actions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if actions is not None:  # the page offers the actions the log holds
            self.form.fields["action"] = forms.ChoiceField(
                label=_("Action"),
                required=False,
                choices=[("", _("All actions")), *[(a, a) for a in actions]],
            )
            for name in ("since", "until"):
                self.form.fields[name].widget = DateInput()

    def filter_action(self, queryset, name, value):
        if value.endswith("."):
            return queryset.filter(action__startswith=value)
        return queryset.filter(action=value)

    def is_valid(self):
        valid = super().is_valid()
        data = self.form.cleaned_data if valid else {}
        if valid and data.get("since") and data.get("until") and data["since"] >= data["until"]:
            self.form.add_error("until", _("The end is before the start."))
            return False
        return valid
