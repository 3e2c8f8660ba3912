"""Filters of the industry apps list, shared by the page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from industry.models import IndustryApp


class IndustryAppFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=IndustryApp.Status.choices, empty_label=_("All statuses")
    )
    # One partner's apps (the customer's partner page links here); the page offers the
    # partners that submitted apps, the API takes any partner tenant id.
    partner = django_filters.UUIDFilter(label=_("Partner"), field_name="partner_id")

    class Meta:
        model = IndustryApp
        fields = ["status", "partner"]

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partners is not None:
            self.filters["partner"] = django_filters.ChoiceFilter(
                label=_("Partner"),
                field_name="partner_id",
                choices=[(str(pk), name) for pk, name in partners],
                empty_label=_("All partners"),
            )
