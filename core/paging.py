"""Lists page in SQL first (issue 16): the page's primary keys come from a narrow query
that has the list's filters and order but none of its joins (the database sorts and
counts narrow rows, and stops at the page); then the page's rows are read with their
related rows, for that page only.

    paginate(view, page_keys(rows), Serializer, load=rows_for(rows))        # API
    page = Paginator(page_keys(rows), n).get_page(number)                    # pages
    objects = rows_for(rows)(page.object_list)
"""

import operator
from functools import reduce

from django.db import connections


def page_keys(queryset):
    """The primary keys of queryset's rows, in its order (what a paginator slices)."""
    return queryset.values_list("pk", flat=True)


def rows_for(queryset):
    """A function from a page of primary keys to those rows of queryset (its joins and
    prefetches for the page only), in the page's order."""

    def load(keys) -> list:
        keys = list(keys)
        if not keys:
            return []
        by_key = {row.pk: row for row in queryset.filter(pk__in=keys).order_by()}
        return [by_key[key] for key in keys if key in by_key]

    return load


class MergedKeys:
    """The primary keys of the rows of several disjoint querysets, merged in one order:
    what a paginator slices when a list's rows match one of several conditions that no one
    index orders (an OR across columns). Each part reads its own index range up to the
    page's end (a LIMIT per part) and the database merges them (UNION ALL), so a page costs
    the same at 100 rows and at 10,000; the total is one count over the parts.

    Postgres 15 does not merge-append the branches of a UNION ALL under one LIMIT (it sorts
    every matching row), hence the LIMIT inside each part. A database that takes no LIMIT
    in a UNION's parts (SQLite) reads the parts' OR instead.
    """

    ordered = True  # for Django's paginator

    def __init__(self, *querysets, order: tuple[str, ...]):
        columns = [field.lstrip("-") for field in order]
        self._key = len(columns)  # the pk follows the order's columns
        # A part that can match nothing (a filter on an empty list) is left out.
        parts = [qs for qs in querysets if not qs.query.is_empty()] or list(querysets[:1])
        self._parts = [qs.order_by(*order).values_list(*columns, "pk") for qs in parts]
        self._order = order
        if not connections[querysets[0].db].features.supports_slicing_ordering_in_compound:
            self._parts = [reduce(operator.or_, self._parts)]

    def _merged(self, parts):
        first, *rest = parts
        return first.union(*rest, all=True).order_by(*self._order) if rest else first

    def count(self) -> int:
        return self._merged([part.order_by() for part in self._parts]).count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.stop is None or index.step is not None:
            raise TypeError("MergedKeys are read a page at a time (a slice with an end).")
        start = index.start or 0
        if index.stop <= start:
            return []
        parts = [part[: index.stop] for part in self._parts]
        return [row[self._key] for row in self._merged(parts)[start : index.stop]]
