"""Directory search: the query a URL holds, and the SQL statements that answer it.

Semantics: a listed (certified) profile matches when it matches the text and, for every
filter, has one of the filter's values (OR within a filter, AND across filters). Facet
counts follow the usual faceted-search rule: a dimension's values are counted under the
text and every *other* filter, so choosing a country never hides the other countries.

Text: PostgreSQL full-text search over `search_vector` (name weight A, summary weight B,
the names of its industries, products and services in every language weight C, prefix
matching) OR trigram word similarity of the query against the name (for misspellings),
ranked by both; on SQLite a case-insensitive substring match over the same three.

PostgreSQL reads each profile's `facet_ids` (integer[], GIN; partners.models.directory):
a filter is one array overlap; the page and its total come from one statement over a
materialized CTE of narrow rows (id, name, rank), joining the wide row for the page only;
all facet counts come from one statement that unnests the matches' arrays and counts a
value when the row passes every filter but the value's own dimension's. With no text and
no filter (the landing page) the total and the counts are the same for everyone: they
are computed once per directory version (`totals`) and the page is read in index order;
with one filter and no text, that filter's own dimension takes the precomputed counts.
SQLite runs the same statements over partners_listingfacet instead of the arrays. Every
directory request is one statement here, plus the curated labels it shows.
"""

# The statements here are built from fixed fragments; every value is a parameter.
# ruff: noqa: S608

import re
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext as _

from core.errors import ValidationError
from partners import directory_cache
from partners.models import ListingFacet, PartnerProfile
from partners.models.directory import FACET_ID_SPAN, FACET_TYPE_CODES

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

    @property
    def unfiltered(self) -> bool:
        """No text and no filter: every listed partner (the landing page's total and counts)."""
        return not self.q and not self.filters

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


def document():
    """The full-text document of a profile: name (weight A) above summary (weight B) above
    the names of its industries, products and services (weight C)."""
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("name", weight="A", config="simple")
        + SearchVector("summary", weight="B", config="simple")
        + SearchVector("search_tags", weight="C", config="simple")
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


# Facet-value ids (PostgreSQL) ------------------------------------------------------------


class FacetIds:
    """Facet values to their ids in `facet_ids` and back (partners.models.directory).

    Built from the curated values' primary keys: (dimension, slug, pk) triples, which
    the page reads anyway for the labels it shows.
    """

    def __init__(self, curated):
        self._ids: dict[tuple[str, str], int] = {}
        self._values: dict[int, tuple[str, str]] = {}
        for dim, slug, pk in curated:
            fid = DIMENSIONS.index(dim) * FACET_ID_SPAN + pk
            self._ids[dim, slug] = fid
            self._values[fid] = (dim, slug)

    def id(self, dim: str, value: str) -> int | None:
        """The id of a value, or None for a value no listing can have."""
        if dim == Dim.COUNTRY:
            if len(value) == 2 and value.isascii() and value.isalpha() and value.isupper():
                return (ord(value[0]) - 65) * 26 + ord(value[1]) - 65
            return None
        if dim == Dim.RELATIONSHIP_TYPE:
            if value in FACET_TYPE_CODES:
                return _TYPE_BASE + FACET_TYPE_CODES.index(value) + 1
            return None
        return self._ids.get((dim, value))

    def value(self, fid: int) -> tuple[str, str] | None:
        """(dimension, value) of an id; None for a curated value deleted meanwhile."""
        if fid < FACET_ID_SPAN:
            return Dim.COUNTRY, chr(65 + fid // 26) + chr(65 + fid % 26)
        if fid > _TYPE_BASE:
            number = fid - _TYPE_BASE
            if number <= len(FACET_TYPE_CODES):
                return Dim.RELATIONSHIP_TYPE, FACET_TYPE_CODES[number - 1]
            return None
        return self._values.get(fid)

    def ids(self, dim: str, values) -> list[int]:
        return sorted({i for v in values if (i := self.id(dim, v)) is not None})


_TYPE_BASE = DIMENSIONS.index(Dim.RELATIONSHIP_TYPE) * FACET_ID_SPAN


# The SQL ------------------------------------------------------------------------------------

# The columns a listing shows.
PAGE_COLUMNS = ("tenant_id", "name", "summary", "website", "headquarters_country", "countries",
                "relationship_types", "is_certified")  # fmt: skip


class _Statement:
    """The WHERE clause of a directory query over `partners_partnerprofile AS p`, with its
    parameters, in the dialect of the connection: array overlaps on PostgreSQL,
    EXISTS over partners_listingfacet on SQLite."""

    def __init__(self, query: DirectoryQuery, facet_ids: FacetIds):
        self.query = query
        self.postgres = is_postgres()
        self.facet_ids = facet_ids
        self.text_sql, self.text_params = self._text()

    def _text(self) -> tuple[str, list]:
        q = self.query.q
        if not q:
            return "", []
        if not self.postgres:
            pattern = f"%{connection.ops.prep_for_like_query(q)}%"
            like = " OR ".join(
                f"p.{column} LIKE %s ESCAPE '\\'" for column in ("name", "summary", "search_tags")
            )
            return f"({like})", [pattern] * 3
        raw = _tsquery(q)
        if not raw:
            return "p.name %%> %s", [q]
        return (
            "(p.search_vector @@ to_tsquery('simple'::regconfig, %s) OR p.name %%> %s)",
            [raw, q],
        )

    def rank(self) -> tuple[str, list]:
        """Relevance (PostgreSQL): text rank plus the name's word similarity."""
        q = self.query.q
        raw = _tsquery(q)
        if not raw:
            return "word_similarity(%s, p.name)", [q]
        return (
            "ts_rank(p.search_vector, to_tsquery('simple'::regconfig, %s))"
            " + word_similarity(%s, p.name)::double precision",
            [raw, q],
        )

    def test(self, dim: str) -> tuple[str, list]:
        """Whether the profile has one of the values the query asks for in dim."""
        values = self.query.selected(dim)
        if self.postgres:
            return "p.facet_ids && %s::integer[]", [self.facet_ids.ids(dim, values)]
        marks = ", ".join(["%s"] * len(values))
        return (
            "EXISTS (SELECT 1 FROM partners_listingfacet f WHERE f.profile_id = p.tenant_id"
            f" AND f.dimension = %s AND f.value IN ({marks}))",
            [dim, *values],
        )

    def where(self, *, filters: bool = True) -> tuple[str, list]:
        parts, params = ["p.is_certified"], []
        if self.text_sql:
            parts.append(self.text_sql)
            params += self.text_params
        for dim in self.query.filters if filters else ():
            sql, more = self.test(dim)
            parts.append(sql)
            params += more
        return " AND ".join(parts), params

    @property
    def materialized(self) -> str:
        return "MATERIALIZED " if self.postgres else ""


def _profiles(sql: str, params: list) -> list[PartnerProfile]:
    return list(PartnerProfile.objects.raw(sql, params))


def _columns(prefix: str = "p.") -> str:
    columns = [prefix + c for c in PAGE_COLUMNS]
    if is_postgres():
        columns.append(prefix + "facet_ids")
    return ", ".join(columns)


def find(query: DirectoryQuery, *, number: int, size: int, facet_ids: FacetIds):
    """One page of the listed profiles matching query, in its order, and their total: one
    statement. Rows are PartnerProfile instances with only the listing's columns (and
    `facet_ids` on PostgreSQL). A page past the end comes back empty, with the total."""
    offset = (number - 1) * size
    if query.unfiltered:
        # The landing page: the total is precomputed, the page read in index order.
        rows = _profiles(
            f"SELECT {_columns()} FROM partners_partnerprofile AS p WHERE p.is_certified"
            " ORDER BY p.name, p.tenant_id LIMIT %s OFFSET %s",
            [size, offset],
        )
        return ResultPage(rows, totals(facet_ids)["total"], number, size)
    statement = _Statement(query, facet_ids)
    where, params = statement.where()
    rank, order = "", "m.name, m.tenant_id"
    if query.uses_rank and statement.postgres:
        rank_sql, rank_params = statement.rank()
        rank, params = f", {rank_sql} AS rank", rank_params + params
        order = "m.rank DESC, " + order
    # The matches are found once, as narrow rows: the count and the page's order read
    # them; only the page's rows are joined back for their wide columns.
    sql = (
        f"WITH matches AS {statement.materialized}("
        f"SELECT p.tenant_id, p.name{rank} FROM partners_partnerprofile AS p WHERE {where}) "
        f"SELECT t.total, {_columns()} "
        "FROM (SELECT count(*) AS total FROM matches) AS t "
        f"LEFT JOIN (SELECT * FROM matches AS m ORDER BY {order} LIMIT %s OFFSET %s) AS m "
        "ON 1 = 1 "
        "LEFT JOIN partners_partnerprofile AS p ON p.tenant_id = m.tenant_id "
        f"ORDER BY {order}"
    )
    rows = _profiles(sql, [*params, size, offset])
    total = rows[0].total if rows else 0
    return ResultPage([row for row in rows if row.pk is not None], total, number, size)


def facet_counts(query: DirectoryQuery, facet_ids: FacetIds):
    """{dimension: {value: count}}, each dimension counted under the *other* filters: one
    statement (none for the unfiltered directory, whose counts are precomputed)."""
    if query.unfiltered:
        return totals(facet_ids)["counts"]
    statement = _Statement(query, facet_ids)
    active = list(query.filters)
    if not query.q and len(active) == 1:
        # One filter and no text: its own dimension counts every listing (precomputed);
        # the others count the listings that pass it.
        counts = _count(statement, *statement.where(), active=[], tests=[])
        counts[active[0]] = totals(facet_ids)["counts"][active[0]]
        return counts
    tests = [statement.test(dim) for dim in active]
    where, params = statement.where(filters=False)
    if len(active) > 1 and not query.q:
        # A row counts only if it passes every filter but one at most: said as "for some
        # filter, all the others", which the index answers. (Not with text: the planner
        # would read these rows and test the text on each, not use the text's index.)
        alternatives = []
        for skip in range(len(active)):
            others = [test for n, test in enumerate(tests) if n != skip]
            alternatives.append("(" + " AND ".join(sql for sql, _p in others) + ")")
            params += [p for _sql, more in others for p in more]
        where += " AND (" + " OR ".join(alternatives) + ")"
    return _count(statement, where, params, active=active, tests=tests)


def _count(statement: "_Statement", where: str, params: list, *, active: list, tests: list):
    """Count the values of the rows matching where; a value of an active dimension counts
    only when the row passes every other active test (`tests`, in `active` order)."""
    oks = "".join(f", {sql} AS ok{n}" for n, (sql, _p) in enumerate(tests))
    ok_params = [p for _sql, more in tests for p in more]
    if statement.postgres:
        source = "m CROSS JOIN LATERAL unnest(m.facet_ids) AS v (id)"
        own = [f"v.id / {FACET_ID_SPAN} = {DIMENSIONS.index(dim)}" for dim in active]
        group, own_params = "v.id", []
        cte = f"SELECT p.facet_ids{oks} FROM partners_partnerprofile AS p WHERE {where}"
    else:
        source = "m JOIN partners_listingfacet AS f ON f.profile_id = m.tenant_id"
        own = ["f.dimension = %s"] * len(active)
        group, own_params = "f.dimension, f.value", active
        cte = f"SELECT p.tenant_id{oks} FROM partners_partnerprofile AS p WHERE {where}"
    conditions = " AND ".join(f"(m.ok{n} OR {sql})" for n, sql in enumerate(own))
    sql = (
        f"WITH m AS {statement.materialized}({cte}) "
        f"SELECT {group}, count(*) FROM {source} "
        f"{'WHERE ' + conditions if conditions else ''} GROUP BY {group}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ok_params, *params, *own_params])
        return _counts(cursor.fetchall(), statement.facet_ids)


def _counts(rows, facet_ids: FacetIds) -> dict[str, dict[str, int]]:
    """Rows of (facet id, count) on PostgreSQL, (dimension, value, count) on SQLite."""
    counts: dict[str, dict[str, int]] = {dim: {} for dim in DIMENSIONS}
    postgres = is_postgres()
    for *key, n in rows:
        dim_value = facet_ids.value(key[0]) if postgres else key
        if dim_value is not None:  # None: a curated value deleted since
            counts[dim_value[0]][dim_value[1]] = n
    return counts


def totals(facet_ids: FacetIds) -> dict:
    """{"total": n, "counts": {dimension: {value: n}}} of the whole directory: computed
    once per directory version (partners.directory_cache), one statement."""
    return directory_cache.per_version("totals", lambda: _totals(facet_ids))


def _totals(facet_ids: FacetIds) -> dict:
    if is_postgres():
        sql = (
            "SELECT NULL, count(*) FROM partners_partnerprofile AS p WHERE p.is_certified "
            "UNION ALL SELECT v.id, count(*) FROM partners_partnerprofile AS p "
            "CROSS JOIN LATERAL unnest(p.facet_ids) AS v (id) WHERE p.is_certified "
            "GROUP BY v.id"
        )
    else:
        # Facet rows exist only for listed profiles: no join.
        sql = (
            "SELECT NULL, NULL, count(*) FROM partners_partnerprofile AS p "
            "WHERE p.is_certified UNION ALL SELECT dimension, value, count(*) "
            "FROM partners_listingfacet GROUP BY dimension, value"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    total = next(row[-1] for row in rows if row[0] is None)
    return {"total": total, "counts": _counts([r for r in rows if r[0] is not None], facet_ids)}


@dataclass
class ResultPage:
    """One page of results and the total."""

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
