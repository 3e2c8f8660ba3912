"""Filters of the partner lists, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import TextFilter
from partners.models import Lead


class LeadFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Lead.Status.choices, empty_label=_("All statuses")
    )
    q = TextFilter(
        label=_("Search leads"),
        fields=("org_name", "contact_name", "email", "city", "business_needs"),
    )

    class Meta:
        model = Lead
        fields = ["status", "q"]
