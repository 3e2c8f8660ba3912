"""Filters of the subscriptions list, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from billing.models import Subscription


class SubscriptionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Subscription.Status.choices, empty_label=_("All statuses")
    )

    class Meta:
        model = Subscription
        fields = ["status"]
