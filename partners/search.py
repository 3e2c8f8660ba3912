"""Directory search: the query a URL holds, filtering, text search and facet counts.

Filters and facets read `ListingFacet`, whose rows exist only for listed profiles: OR
within a filter (`value IN (...)`), AND across filters (one semi-join each). Facet counts
follow the usual faceted-search rule: the counts of a dimension are computed under the
text query and every *other* active filter, so choosing a country never hides the other
countries. That takes one GROUP BY for the dimensions without an active filter plus one
per active filter dimension: at most six queries, never more.

Text search: PostgreSQL full-text search over `search_vector` (name weight A, summary
weight B, prefix matching) OR trigram word similarity of the query against the name (for
misspellings), ranked by both; on SQLite a case-insensitive substring match.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import Count, F, FloatField, Q, Value, Window
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from core.errors import ValidationError
from partners.models import ListingFacet, PartnerProfile

Dim = ListingFacet.Dimension
DIMENSIONS: tuple[str, ...] = tuple(Dim.values)
SORTS = ("relevance", "name")
MAX_QUERY_LENGTH = 200
MAX_VALUES = 30  # per filter
MAX_VALUE_LENGTH = 60
MAX_PAGE = 10_000
# Word similarity (pg_trgm) above which a name matches a misspelt query: "contso" finds
# "Contoso Ltd." (0.57) but not every "Consulting" (0.43). Set once per database
# connection (partners.apps), as pg_trgm reads it from the session.
WORD_SIMILARITY_THRESHOLD = 0.5
_TOKEN = re.compile(r"\w+", re.UNICODE)
COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")


@dataclass(frozen=True)
class DirectoryQuery:
    """What a directory URL asks for; parsed once, shared by the API and the pages."""

    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_params(cls, params) -> "DirectoryQuery":
        """Parse a QueryDict; ValidationError (400) for malformed parameters.

        Unknown filter *values* are not an error: they match nothing.
        """
        errors: dict[str, list[str]] = {}
        if any("\x00" in v for key in params for v in params.getlist(key)):
            raise ValidationError(
                _("The query contains a character that is not allowed."), code="invalid"
            )
        q = " ".join((params.get("q") or "").split())
        if len(q) > MAX_QUERY_LENGTH:
            errors["q"] = [
                _("At most %(n)d characters.") % {"n": MAX_QUERY_LENGTH},
            ]
        filters = {}
        for dim in DIMENSIONS:
            values = [v.strip() for v in params.getlist(dim) if v.strip()]
            if len(values) > MAX_VALUES:
                errors[dim] = [_("At most %(n)d values.") % {"n": MAX_VALUES}]
            elif any(len(v) > MAX_VALUE_LENGTH for v in values):
                errors[dim] = [_("A value is too long.")]
            elif dim == Dim.COUNTRY and not all(COUNTRY_CODE.fullmatch(v) for v in values):
                errors[dim] = [_("Use two-letter country codes (ISO 3166), such as DE.")]
            elif values:
                normalise = str.upper if dim == Dim.COUNTRY else str.lower
                filters[dim] = tuple(dict.fromkeys(normalise(v) for v in values))
        sort = params.get("sort") or ("relevance" if q else "name")
        if sort not in SORTS:
            errors["sort"] = [_("Choose relevance or name.")]
        page = 1
        raw_page = params.get("page")
        if raw_page not in (None, ""):
            try:
                page = int(raw_page)
            except ValueError:
                page = 0
            if not 1 <= page <= MAX_PAGE:
                errors["page"] = [_("A page number from 1 to %(n)d.") % {"n": MAX_PAGE}]
        if errors:
            raise ValidationError(_("Check the search parameters."), errors=errors)
        return cls(q=q, filters=filters, sort=sort, page=page)

    @property
    def uses_rank(self) -> bool:
        return bool(self.q) and self.sort == "relevance"

    def selected(self, dim: str) -> tuple[str, ...]:
        return self.filters.get(dim, ())

    def params(self, *, page: int | None = None) -> list[tuple[str, str]]:
        """The query as URL parameters (for links that keep the search)."""
        pairs = [("q", self.q)] if self.q else []
        for dim in DIMENSIONS:
            pairs.extend((dim, v) for v in self.selected(dim))
        if self.sort != ("relevance" if self.q else "name"):
            pairs.append(("sort", self.sort))
        if page and page > 1:
            pairs.append(("page", str(page)))
        return pairs


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def listed():
    return PartnerProfile.objects.filter(is_certified=True)


def _tsquery(q: str) -> str:
    """A prefix tsquery ("word:* & other:*") from the words of q; safe by construction."""
    return " & ".join(f"{token}:*" for token in _TOKEN.findall(q.lower())[:12])


def _apply_text(qs, q: str):
    if not q:
        return qs
    if not is_postgres():
        return qs.filter(Q(name__icontains=q) | Q(summary__icontains=q))
    fuzzy = TrigramWordSimilar(F("name"), Value(q))
    raw = _tsquery(q)
    if not raw:
        return qs.filter(fuzzy)
    query = SearchQuery(raw, search_type="raw", config="simple")
    return qs.filter(Q(search_vector=query) | Q(fuzzy))


def _rank(q: str):
    raw = _tsquery(q)
    similarity = TrigramWordSimilarity(Value(q), "name")
    if not raw:
        return similarity
    query = SearchQuery(raw, search_type="raw", config="simple")
    return SearchRank(F("search_vector"), query) + Cast(similarity, FloatField())


def _apply_filters(qs, query: DirectoryQuery, *, skip: str | None = None):
    for dim, values in query.filters.items():
        if dim == skip:
            continue
        qs = qs.filter(
            pk__in=ListingFacet.objects.filter(dimension=dim, value__in=values).values("profile_id")
        )
    return qs


def search(query: DirectoryQuery):
    """Listed profiles matching query, in the order it asks for (a lazy queryset)."""
    qs = _apply_filters(_apply_text(listed(), query.q), query)
    if query.uses_rank and is_postgres():
        return qs.annotate(rank=_rank(query.q)).order_by("-rank", "name", "tenant_id")
    return qs.order_by("name", "tenant_id")


def facet_counts(query: DirectoryQuery) -> dict[str, dict[str, int]]:
    """{dimension: {value: count}}, each dimension counted under the *other* filters.

    One GROUP BY for the dimensions without an active filter (they share one base: the
    text query and every filter), plus one per dimension with an active filter (its base
    leaves its own filter out): at most six queries, whatever the number of listings.
    (A single query with `dimension = d OR profile matches d's filter` per filter reads
    the same, but PostgreSQL plans it as a full scan of the facet table: slower.)
    """
    groups: list[tuple[list[str], str | None]] = []
    free = [d for d in DIMENSIONS if d not in query.filters]
    if free:
        groups.append((free, None))
    groups.extend(([dim], dim) for dim in DIMENSIONS if dim in query.filters)
    counts: dict[str, dict[str, int]] = {dim: {} for dim in DIMENSIONS}
    for dims, skip in groups:
        rows = ListingFacet.objects.filter(dimension__in=dims)
        if query.q or any(d != skip for d in query.filters):
            base = _apply_filters(_apply_text(listed(), query.q), query, skip=skip)
            rows = rows.filter(profile_id__in=base.values("pk"))
        # Facet rows exist only for listed profiles, so an unfiltered count needs no join.
        for dim, value, n in (
            rows.order_by()
            .values("dimension", "value")
            .annotate(n=Count("profile_id"))
            .values_list("dimension", "value", "n")
        ):
            counts[dim][value] = n
    return counts


def document():
    """The full-text document of a profile: name (weight A) above summary (weight B)."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("name", weight="A", config="simple") + SearchVector(
        "summary", weight="B", config="simple"
    )


def facet_rows(profile_id, *, countries=(), industries=(), products=(), services=(),
               org_sizes=(), relationship_types=()) -> list[ListingFacet]:  # fmt: skip
    """The ListingFacet rows of one listed profile (unsaved)."""
    values = {
        Dim.COUNTRY: countries,
        Dim.INDUSTRY: industries,
        Dim.PRODUCT: products,
        Dim.SERVICE: services,
        Dim.ORG_SIZE: org_sizes,
        Dim.RELATIONSHIP_TYPE: relationship_types,
    }
    return [
        ListingFacet(profile_id=profile_id, dimension=dim, value=str(value))
        for dim, chosen in values.items()
        for value in dict.fromkeys(chosen)
    ]


@dataclass
class ResultPage:
    """One page of results and the total, read with a single query."""

    rows: list
    count: int
    number: int
    size: int

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number * self.size < self.count


def page_of(queryset, *, number: int, size: int) -> ResultPage:
    """A page of queryset with its total from COUNT(*) OVER (): the matches are found once,
    not once for the count and again for the page. A page past the end comes back empty
    (one more query then, for the total)."""
    offset = (number - 1) * size
    rows = list(queryset.annotate(total_count=Window(Count("pk")))[offset : offset + size])
    if rows:
        return ResultPage(rows=rows, count=rows[0].total_count, number=number, size=size)
    count = 0 if number == 1 else queryset.count()
    return ResultPage(rows=rows, count=count, number=number, size=size)
