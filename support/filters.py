"""Filters of the support requests list, shared by the page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import TextFilter
from support.models import SupportRequest


class SupportRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=SupportRequest.Status.choices, empty_label=_("All statuses")
    )
    q = TextFilter(label=_("Search support requests"), fields=("title", "description"))

    class Meta:
        model = SupportRequest
        fields = ["status", "q"]
