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

from partners.search.query import (
    COUNTRY_CODE,
    DIMENSIONS,
    MAX_PAGE,
    MAX_QUERY_LENGTH,
    MAX_VALUE_LENGTH,
    MAX_VALUES,
    SORTS,
    WORD_SIMILARITY_THRESHOLD,
    Dim,
    DirectoryQuery,
    FacetIds,
    _tsquery,
    document,
    facet_rows,
    is_postgres,
    listed,
)
from partners.search.sql import PAGE_COLUMNS, ResultPage, facet_counts, find, totals

__all__ = [
    "COUNTRY_CODE",
    "DIMENSIONS",
    "MAX_PAGE",
    "MAX_QUERY_LENGTH",
    "MAX_VALUES",
    "MAX_VALUE_LENGTH",
    "PAGE_COLUMNS",
    "SORTS",
    "WORD_SIMILARITY_THRESHOLD",
    "Dim",
    "DirectoryQuery",
    "FacetIds",
    "ResultPage",
    "_tsquery",
    "document",
    "facet_counts",
    "facet_rows",
    "find",
    "is_postgres",
    "listed",
    "totals",
]
