"""The directory's statements (facet-id arrays on PostgreSQL, their portable form on SQLite)
answer exactly what the old per-filter semi-joins and per-dimension GROUP BYs answered:
the same rows in the same order, the same totals, the same facet counts, for a matrix of
text, filter, sort and page combinations. The old semantics are kept here, verbatim, as
the reference."""

import random

import pytest
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db.models import Count, F, FloatField, Q, Value
from django.db.models.functions import Cast
from django.http import QueryDict

from partners import curated, relationship_types
from partners.models import ListingFacet
from partners.search import (
    DIMENSIONS,
    DirectoryQuery,
    _tsquery,
    facet_counts,
    find,
    is_postgres,
    listed,
)
from partners.selectors.directory import curated_labels, facet_ids_for
from tests.factories import TenantFactory
from tests.partners.conftest import make_listing

# The old semantics (partners/search.py before issue 16) ---------------------------------


def old_text(qs, q):
    if not q:
        return qs
    if not is_postgres():
        # (Tags are searched since issue 14, as the PostgreSQL document does.)
        return qs.filter(
            Q(name__icontains=q) | Q(summary__icontains=q) | Q(search_tags__icontains=q)
        )
    fuzzy = TrigramWordSimilar(F("name"), Value(q))
    raw = _tsquery(q)
    if not raw:
        return qs.filter(fuzzy)
    query = SearchQuery(raw, search_type="raw", config="simple")
    return qs.filter(Q(search_vector=query) | Q(fuzzy))


def old_rank(q):
    raw = _tsquery(q)
    similarity = TrigramWordSimilarity(Value(q), "name")
    if not raw:
        return similarity
    query = SearchQuery(raw, search_type="raw", config="simple")
    return SearchRank(F("search_vector"), query) + Cast(similarity, FloatField())


def old_filters(qs, query, *, skip=None):
    for dim, values in query.filters.items():
        if dim == skip:
            continue
        qs = qs.filter(
            pk__in=ListingFacet.objects.filter(dimension=dim, value__in=values).values("profile_id")
        )
    return qs


def old_search(query):
    qs = old_filters(old_text(listed(), query.q), query)
    if query.uses_rank and is_postgres():
        return qs.annotate(rank=old_rank(query.q)).order_by("-rank", "name", "tenant_id")
    return qs.order_by("name", "tenant_id")


def old_facet_counts(query):
    groups = []
    free = [d for d in DIMENSIONS if d not in query.filters]
    if free:
        groups.append((free, None))
    groups.extend(([dim], dim) for dim in DIMENSIONS if dim in query.filters)
    counts = {dim: {} for dim in DIMENSIONS}
    for dims, skip in groups:
        rows = ListingFacet.objects.filter(dimension__in=dims)
        if query.q or any(d != skip for d in query.filters):
            base = old_filters(old_text(listed(), query.q), query, skip=skip)
            rows = rows.filter(profile_id__in=base.values("pk"))
        for dim, value, n in (
            rows.order_by()
            .values("dimension", "value")
            .annotate(n=Count("profile_id"))
            .values_list("dimension", "value", "n")
        ):
            counts[dim][value] = n
    return counts


# A catalogue with variety: overlapping values, shared words, ties, unlisted profiles ------

WORDS = ["Cloud", "Secure", "Data", "Contoso", "Northwind", "Labs", "Systems", "Migration"]
COUNTRIES = ["DE", "FR", "AT", "US", "GB", "NL"]
TEXTS = ["", "cloud", "secure data", "contso", "labs", "migra", "zzz-nothing", "!!!"]
FILTERS = [
    {},
    {"country": ["DE"]},
    {"country": ["DE", "fr"]},
    {"industry": ["healthcare"]},
    {"country": ["DE"], "industry": ["healthcare", "retail"]},
    {"product": ["azure"], "service": ["migration"], "org_size": ["1-10"]},
    {"relationship_type": ["gdap"]},
    {"relationship_type": ["gdap", "reseller"], "country": ["US", "GB"]},
    {
        "country": ["DE", "AT", "US"],
        "industry": ["healthcare", "retail", "education"],
        "product": ["azure", "teams", "intune"],
        "service": ["migration", "support", "training"],
        "org_size": ["1-10", "11-50", "51-250"],
        "relationship_type": ["gdap", "advisor", "isv"],
    },
    {"country": ["ZZ"]},
    {"industry": ["no-such-industry"]},
    {"country": ["DE"], "industry": ["no-such-industry"]},
    {"industry": ["healthcare", "no-such-industry"], "org_size": ["11-50"]},
]


@pytest.fixture
def catalogue(db):
    rng = random.Random(16)
    slugs = {
        "industries": [s for s, _n in curated.INDUSTRIES][:6],
        "products": [*[s for s, _n in curated.PRODUCTS][:8], "azure", "teams", "intune"],
        "services": [s for s, _n in curated.SERVICES],
        "org_sizes": [s for s, _n in curated.ORGANIZATION_SIZES],
    }
    for n in range(48):
        # Some names repeat (ties broken by id), some words are in the summary only.
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)}" if n % 7 else "Contoso Cloud"
        make_listing(
            name,
            tenant=TenantFactory(name=name, slug=f"catalogue-{n}"),
            summary=f"{rng.choice(WORDS)} services for {rng.choice(WORDS).lower()} teams.",
            countries=rng.sample(COUNTRIES, rng.randint(1, 3)),
            industries=rng.sample(slugs["industries"] + ["healthcare", "retail"], 2),
            products=rng.sample(sorted(set(slugs["products"])), rng.randint(0, 3)),
            services_=rng.sample(slugs["services"], rng.randint(1, 2)),
            org_sizes=rng.sample(slugs["org_sizes"], rng.randint(0, 2)),
            relationship_types=rng.sample(list(relationship_types.CODES), rng.randint(0, 2)),
            certified=n % 9 != 4,
        )


def directory_query(q: str, filters: dict, **more) -> DirectoryQuery:
    params = QueryDict(mutable=True)
    if q:
        params["q"] = q
    for dim, values in filters.items():
        params.setlist(dim, values)
    for key, value in more.items():
        params[key] = str(value)
    return DirectoryQuery.from_params(params)


def facet_ids():
    return facet_ids_for(curated_labels())


@pytest.mark.parametrize("q", TEXTS)
def test_pages_and_totals_match_the_old_semantics(catalogue, q):
    ids = facet_ids()
    for filters in FILTERS:
        for sort in ("relevance", "name"):
            query = directory_query(q, filters, sort=sort)
            expected = list(old_search(query).values_list("pk", flat=True))
            for size, number in ((100, 1), (7, 1), (7, 2), (7, 9)):
                page = find(query, number=number, size=size, facet_ids=ids)
                shown = expected[(number - 1) * size : number * size]
                context = f"q={q!r} filters={filters} sort={sort} page={number}x{size}"
                assert [row.pk for row in page.rows] == shown, context
                assert page.count == len(expected), context


@pytest.mark.parametrize("q", TEXTS)
def test_facet_counts_match_the_old_semantics(catalogue, q):
    ids = facet_ids()
    for filters in FILTERS:
        query = directory_query(q, filters)
        assert facet_counts(query, ids) == old_facet_counts(query), f"q={q!r} {filters}"


def test_listing_values_match_their_facet_rows(catalogue, api):
    """Each listing's lists, as the API shows them, are its facet rows (read from the
    arrays on PostgreSQL, from the rows on SQLite)."""
    rows = api.get("/api/v1/directory/partners", {"page_size": 100}).json()["results"]
    assert len(rows) == listed().count()
    for row in rows:
        facets = ListingFacet.objects.filter(profile_id=row["partner_id"])
        for dim, key in (
            ("industry", "industries"),
            ("product", "products"),
            ("service", "services"),
            ("org_size", "org_sizes"),
        ):
            shown = {item["slug"] for item in row[key]}
            assert shown == set(facets.filter(dimension=dim).values_list("value", flat=True))


def test_the_unfiltered_directory_follows_every_change(catalogue, api, client, listing):
    """The landing page's total and counts are kept per directory version: a new listing
    shows at once."""
    before = api.get("/api/v1/directory/facets").json()
    total = api.get("/api/v1/directory/partners").json()["count"]
    assert total == listed().count()
    assert {v["value"]: v["count"] for v in before["country"]} == old_facet_counts(
        DirectoryQuery()
    )["country"]
    listing("Aardvark Newcomer", countries=["IE"], industries=["retail"])
    after = api.get("/api/v1/directory/facets").json()
    assert api.get("/api/v1/directory/partners").json()["count"] == total + 1
    assert {v["value"]: v["count"] for v in after["country"]}["IE"] == 1
    page = client.get("/partners/")
    assert "Aardvark Newcomer" in page.content.decode()
    assert f"{total + 1} partners found" in page.content.decode()


def test_listing_and_facet_json_is_what_drf_would_build(catalogue):
    """The serializers build their JSON directly; DRF's field-by-field way gives the same."""
    from rest_framework import serializers

    from partners.api.directory import FacetValueSerializer, ListingSerializer
    from partners.selectors.directory import directory_facets, search_listings

    query = directory_query("", {})
    for listing in search_listings(query, number=1, size=100).rows:
        serializer = ListingSerializer()
        direct = serializer.to_representation(listing)
        assert direct == serializers.Serializer.to_representation(serializer, listing)
    for values in directory_facets(query).values():
        for value in values:
            serializer = FacetValueSerializer()
            direct = serializer.to_representation(value)
            assert direct == serializers.Serializer.to_representation(serializer, value)
