"""The directory's SQL: the page and its total (find), the facet counts (facet_counts) and
the landing page's totals, each one statement. partners.search has the whole picture."""

# The statements here are built from fixed fragments; every value is a parameter.
# ruff: noqa: S608

from dataclasses import dataclass

from django.db import connection

from partners import directory_cache
from partners.models import PartnerProfile
from partners.models.directory import FACET_ID_SPAN
from partners.search.query import (
    DIMENSIONS,
    DirectoryQuery,
    FacetIds,
    _tsquery,
    is_postgres,
)

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
