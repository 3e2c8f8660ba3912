"""Lists page in SQL first (issue 16).

The page's primary keys can come from a narrow query that has the list's filters and
order but none of its joins (the database sorts and counts narrow rows, and stops at the
page); then the page's rows are read with their related rows, for that page only:

    paginate(view, page_keys(rows), Serializer, load=rows_for(rows))        # API
    page = Paginator(page_keys(rows), n).get_page(number)                    # pages
    objects = rows_for(rows)(page.object_list)

`Paginator` reads a page of model rows and the list's total in one statement; `MergedKeys`
pages a list whose rows match one of several conditions no one index orders.
"""

import operator
from functools import reduce

from django.core import paginator
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.query import FlatValuesListIterable, ModelIterable

TOTAL = "paging_total"
MAX_OFFSET = 2**62


class _Total(RawSQL):
    """The row count of `counted` (a queryset) as a column of each row of a page: an
    uncorrelated scalar subquery, which PostgreSQL (an InitPlan) and SQLite run once per
    statement. It is no grouping key when the list groups (annotated counts)."""

    def __init__(self, counted):
        sql, params = counted.query.sql_with_params()
        super().__init__(
            f"SELECT COUNT(*) FROM ({sql}) AS paging_counted",  # noqa: S608 (Django compiled sql)
            params,
            IntegerField(),
        )

    def get_group_by_cols(self):
        return []


def _counted_page(rows, bottom: int, top: int) -> tuple[list, int] | None:
    """rows[bottom:top] and len(rows), read in one statement; None when rows cannot say
    (not a queryset of models or of page_keys(), or a filter that matches nothing)."""
    if hasattr(rows, "counted_page"):
        return rows.counted_page(bottom, top)
    if not isinstance(rows, QuerySet):
        return None
    keys = rows._iterable_class is FlatValuesListIterable and rows._fields == ("pk",)
    if not (keys or rows._iterable_class is ModelIterable):
        return None
    try:
        counted = rows.annotate(**{TOTAL: _Total(rows.order_by().values("pk"))})
    except EmptyResultSet:  # none(), pk__in=[]
        return None
    if keys:
        page = list(counted.values_list("pk", TOTAL)[bottom:top])
        return [pk for pk, _total in page], page[0][1] if page else 0
    page = list(counted[bottom:top])
    return page, getattr(page[0], TOTAL) if page else 0


def _whole(number) -> bool:
    try:
        return int(number) >= 1 and not (isinstance(number, float) and not number.is_integer())
    except (TypeError, ValueError):
        return False


class Paginator(paginator.Paginator):
    """Django's paginator, but a page of model rows (of page_keys(), of MergedKeys) comes
    with the list's total in the same statement instead of a COUNT query before it. A page
    past the end (no rows) counts alone, to tell an empty list's first page from a number
    too high, as Django does."""

    def page(self, number):
        if self.orphans or "count" in self.__dict__ or not _whole(number):
            return super().page(number)
        number = int(number)
        bottom = (number - 1) * self.per_page
        if bottom > MAX_OFFSET:  # past any list; the databases refuse such an OFFSET
            return super().page(number)
        counted = _counted_page(self.object_list, bottom, bottom + self.per_page)
        if not counted or not counted[0]:
            return super().page(number)
        page, self.count = counted
        return self._get_page(page, number, self)

    def get_page(self, number):
        """As Django's: not a number gives the first page, out of range the last."""
        try:
            return self.page(number)
        except paginator.PageNotAnInteger:
            return self.page(1)
        except paginator.EmptyPage:
            return self.page(self.num_pages)


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

    def counted_page(self, bottom: int, top: int) -> tuple[list, int]:
        """The keys of rows[bottom:top] and the total, in one statement (core Paginator)."""
        total = _Total(self._merged([part.order_by() for part in self._parts]).order_by())
        parts = [part.annotate(**{TOTAL: total})[:top] for part in self._parts]
        page = list(self._merged(parts)[bottom:top])
        return [row[self._key] for row in page], page[0][-1] if page else 0

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.stop is None or index.step is not None:
            raise TypeError("MergedKeys are read a page at a time (a slice with an end).")
        start = index.start or 0
        if index.stop <= start:
            return []
        parts = [part[: index.stop] for part in self._parts]
        return [row[self._key] for row in self._merged(parts)[start : index.stop]]
