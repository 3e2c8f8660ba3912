"""Filters of the industry apps list, shared by the page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from industry.models import IndustryApp


class IndustryAppFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=IndustryApp.Status.choices, empty_label=_("All statuses")
    )

    class Meta:
        model = IndustryApp
        fields = ["status"]
