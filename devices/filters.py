"""Filters of the device lists, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import TextFilter
from devices.models import AutopilotDevice


class DeviceFilter(django_filters.FilterSet):
    q = TextFilter(
        label=_("Search devices"), fields=("serial_number", "manufacturer", "model", "group_tag")
    )

    class Meta:
        model = AutopilotDevice
        fields = ["q"]
