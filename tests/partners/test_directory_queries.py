"""Every directory endpoint makes a fixed number of queries, for two listings or thirty:
the curated labels, one statement for the page and its total, one for all facet counts
(SQLite reads a page's values with one more). The landing page's body and the unfiltered
counts are kept per directory version: after the first view, none."""

import pytest
from django.db import connection

from tests.partners.conftest import make_listing

URL = "/api/v1/directory/partners"
FACETS = "/api/v1/directory/facets"
EVERY_FILTER = {
    "q": "partner",
    "country": ["DE", "AT"],
    "industry": "retail",
    "product": "azure",
    "service": "migration",
    "org_size": "1-10",
    "relationship_type": "gdap",
}


def values_query() -> int:
    """SQLite reads a page's curated values with a query; PostgreSQL has them in the row."""
    return 0 if connection.vendor == "postgresql" else 1


@pytest.fixture(params=[2, 30])
def rows(request, db):
    for i in range(request.param):
        make_listing(
            f"Partner {i:03d}",
            countries=["DE", "FR"],
            industries=["healthcare", "retail"],
            products=["azure"],
            services_=["migration"],
            org_sizes=["1-10"],
            relationship_types=["gdap"],
        )
    return request.param


def test_search_with_every_filter(api, rows, django_assert_max_num_queries):
    with django_assert_max_num_queries(2 + values_query()):
        r = api.get(URL, EVERY_FILTER)
    assert r.status_code == 200
    assert r.json()["count"] == rows


def test_facets_with_every_filter(api, rows, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        r = api.get(FACETS, EVERY_FILTER)
    assert r.status_code == 200
    countries = {v["value"]: v["count"] for v in r.json()["country"]}
    assert countries == {"AT": 0, "DE": rows, "FR": rows}  # AT: chosen, so shown


def test_facets_with_one_filter(api, rows, django_assert_max_num_queries):
    # Its own dimension's counts are the unfiltered ones, computed once per version.
    with django_assert_max_num_queries(3):
        r = api.get(FACETS, {"country": "DE"})
    assert {v["value"]: v["count"] for v in r.json()["country"]} == {"DE": rows, "FR": rows}
    with django_assert_max_num_queries(2):
        r = api.get(FACETS, {"industry": "retail"})
    assert {v["value"]: v["count"] for v in r.json()["country"]} == {"DE": rows, "FR": rows}


def test_unfiltered_search_and_facets(api, rows, django_assert_max_num_queries):
    # The first request computes the unfiltered total and counts (one statement).
    with django_assert_max_num_queries(3 + values_query()):
        assert api.get(URL).json()["count"] == rows
    with django_assert_max_num_queries(2 + values_query()):
        assert api.get(URL, {"page": 2, "page_size": 1}).json()["count"] == rows
    with django_assert_max_num_queries(1):
        r = api.get(FACETS)
    assert r.json()["industry"][0]["count"] in (0, rows)


def test_one_listing(api, rows, django_assert_max_num_queries):
    from partners.models import PartnerProfile

    partner = PartnerProfile.objects.first()
    with django_assert_max_num_queries(2 + values_query()):
        assert api.get(f"{URL}/{partner.pk}").status_code == 200


def test_directory_page_with_filters(client, rows, django_assert_max_num_queries):
    params = {"q": "partner", "country": "DE", "industry": "retail"}
    with django_assert_max_num_queries(3 + values_query()):
        r = client.get("/partners/", params)
    assert r.status_code == 200
    with django_assert_max_num_queries(3 + values_query()):
        r = client.get("/partners/", params, headers={"HX-Request": "true"})
    assert r.status_code == 200


def test_landing_page(client, rows, django_assert_max_num_queries):
    with django_assert_max_num_queries(3 + values_query()):
        first = client.get("/partners/")
    with django_assert_max_num_queries(0):
        again = client.get("/partners/")
    assert first.status_code == again.status_code == 200
    body = first.content.decode().split("<main", 1)[1]  # the frame differs: CSRF tokens
    assert again.content.decode().split("<main", 1)[1] == body
    assert f"{rows} partners found" in again.content.decode()
    with django_assert_max_num_queries(3 + values_query()):
        fragment = client.get("/partners/", headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()
    assert f"{rows} partners found" in fragment.content.decode()
