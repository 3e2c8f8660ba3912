"""List filters: django-filter FilterSets that pages and the API share.

A page shows the FilterSet's form and ignores what does not validate; the API answers
400 with the field errors (filter_or_400). Text filters collapse whitespace, stop at a
length and refuse NUL bytes (Django's CharField does), so no filter reaches the database
with input it cannot take.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext as _

from core import errors

TEXT_MAX = 200


class TextFilter(django_filters.CharFilter):
    """Free text over several fields: each word-collapsed query matches any of them."""

    def __init__(self, *, fields: tuple[str, ...], max_length: int = TEXT_MAX, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(max_length=max_length, **kwargs)
        self.search_fields = fields

    def filter(self, qs, value):
        value = " ".join((value or "").split())
        if not value:
            return qs
        match = Q()
        for name in self.search_fields:
            match |= Q(**{f"{name}__icontains": value})
        return qs.filter(match)


def field_errors(filterset) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in filterset.errors.items()}


def filter_or_400(filterset_class, params, queryset, **kwargs):
    """queryset filtered by the request's parameters; ValidationError (400) on bad input."""
    filterset = filterset_class(params, queryset=queryset, **kwargs)
    if not filterset.is_valid():
        raise errors.ValidationError(
            _("Check the filter parameters."), errors=field_errors(filterset)
        )
    return filterset.qs


def filter_page(filterset_class, params, queryset, **kwargs):
    """(filterset, rows) for a page: invalid values are shown on the form and ignored."""
    filterset = filterset_class(params or None, queryset=queryset, **kwargs)
    return filterset, filterset.qs


def filter_values(filterset) -> dict:
    """The valid values a page filtered by ({} when nothing valid was given)."""
    if not filterset.is_bound or not filterset.is_valid():
        return {}
    return {name: value for name, value in filterset.form.cleaned_data.items() if value}
