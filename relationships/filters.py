"""Filters of the relationship lists, shared by the pages and the API.

Statuses filter as readers see them: a pending invitation past its expiry reads expired,
an active relationship past its end reads expired (relationships.selectors decides).
"""

from datetime import timedelta

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import TextFilter
from relationships import selectors
from relationships.models import DelegatedAdminRelationship, Invitation


class InvitationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Invitation.Status.choices,
        empty_label=_("All statuses"),
        method="filter_status",
    )

    older_than = django_filters.NumberFilter(
        label=_("Last sent"),
        method="filter_older_than",
        min_value=0,
        max_value=3650,
    )

    class Meta:
        model = Invitation
        fields = ["status", "older_than"]

    def filter_status(self, queryset, name, value):
        return selectors.with_status(queryset, value, at=timezone.now())

    def filter_older_than(self, queryset, name, value):
        """Old ones to clean up: not sent (or resent) in the last `value` days."""
        return queryset.filter(last_sent_at__lte=timezone.now() - timedelta(days=int(value)))


class RelationshipFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=DelegatedAdminRelationship.Status.choices,
        empty_label=_("All statuses"),
        method="filter_status",
    )

    class Meta:
        model = DelegatedAdminRelationship
        fields = ["status"]

    def filter_status(self, queryset, name, value):
        return selectors.with_status_at(queryset, value, timezone.now())


class ExpiringFilter(django_filters.FilterSet):
    """The expiring relationships view (page, CSV and API): window, search, auto-extend."""

    WINDOWS = [
        ("30d", _("Ending within 30 days")),
        ("7d", _("Ending within 7 days")),
        ("1d", _("Ending within 1 day")),
        ("later", _("Ending after 30 days")),
        ("expired", _("Expired in the last year")),
    ]

    window = django_filters.ChoiceFilter(
        label=_("Ends"), choices=WINDOWS, empty_label=_("Any time"), method="filter_window"
    )
    q = TextFilter(
        label=_("Customer or relationship"),
        fields=("display_name", "customer__name", "partner__name"),
        max_length=100,
    )
    auto_extend = django_filters.ChoiceFilter(
        label=_("Auto-extend"),
        choices=[("on", _("On")), ("off", _("Off"))],
        empty_label=_("On or off"),
        method="filter_auto_extend",
    )

    class Meta:
        model = DelegatedAdminRelationship
        fields = ["window", "q", "auto_extend"]

    def filter_window(self, queryset, name, value):
        return queryset.filter(selectors.expiring_window(value, timezone.now()))

    def filter_auto_extend(self, queryset, name, value):
        if value == "on":
            return queryset.filter(auto_extend_duration__gt=timedelta(0))
        return queryset.filter(auto_extend_duration=timedelta(0))
