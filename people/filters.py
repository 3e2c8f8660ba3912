"""Filters of the users list, shared by the page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import TextFilter
from tenants.models import Membership


class MemberFilter(django_filters.FilterSet):
    q = TextFilter(label=_("Search by email or name"), fields=("user__email", "user__display_name"))

    class Meta:
        model = Membership
        fields = ["q"]
