"""Filters of the relationship lists, shared by the pages and the API.

Statuses filter as readers see them: a pending invitation past its expiry reads expired,
an active relationship past its end reads expired (relationships.selectors decides).
"""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relationships import selectors
from relationships.models import DelegatedAdminRelationship, Invitation


class InvitationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Invitation.Status.choices,
        empty_label=_("All statuses"),
        method="filter_status",
    )

    class Meta:
        model = Invitation
        fields = ["status"]

    def filter_status(self, queryset, name, value):
        return selectors.with_status(queryset, value, at=timezone.now())


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
