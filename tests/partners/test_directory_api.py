"""The public directory API: filters, facets, listing rules, parameters, query counts."""

import pytest

from tests.partners.conftest import make_listing

URL = "/api/v1/directory/partners"
FACETS = "/api/v1/directory/facets"


def names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


@pytest.fixture
def three(db):
    return [
        make_listing("Alpha", countries=["DE"], industries=["healthcare"], org_sizes=["1-10"]),
        make_listing("Bravo", countries=["FR"], industries=["healthcare"], org_sizes=["11-50"]),
        make_listing("Charlie", countries=["DE", "FR"], industries=["retail"]),
    ]


def test_anonymous_lists_certified_partners(api, three):
    r = api.get(URL)
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 3
    assert [row["name"] for row in body["results"]] == ["Alpha", "Bravo", "Charlie"]
    assert set(body) == {"count", "next", "previous", "results"}


def test_values_of_one_filter_are_ored(api, three):
    r = api.get(URL, {"country": ["DE", "FR"]})
    assert r.status_code == 200
    assert names(r) == {"Alpha", "Bravo", "Charlie"}
    assert names(api.get(URL, {"industry": ["retail", "healthcare"]})) == {
        "Alpha",
        "Bravo",
        "Charlie",
    }


def test_filters_are_anded(api, three):
    assert names(api.get(URL, {"country": "DE", "industry": "healthcare"})) == {"Alpha"}
    assert names(api.get(URL, {"country": "FR", "industry": "retail"})) == {"Charlie"}
    r = api.get(URL, {"country": ["DE", "FR"], "industry": "healthcare", "org_size": "11-50"})
    assert names(r) == {"Bravo"}


def test_unknown_filter_values_give_an_empty_result(api, three):
    r = api.get(URL, {"country": "ZZ"})
    assert r.status_code == 200
    assert r.json()["count"] == 0
    assert api.get(URL, {"industry": "no-such-industry"}).json()["count"] == 0
    assert api.get(URL, {"relationship_type": "nonsense"}).json()["count"] == 0


def test_country_codes_are_case_insensitive(api, three):
    assert names(api.get(URL, {"country": "de"})) == {"Alpha", "Charlie"}


def test_uncertified_partners_are_hidden(api, listing):
    hidden = listing("Hidden GmbH", certified=False, countries=["DE"])
    listing("Shown GmbH", countries=["DE"])
    assert names(api.get(URL)) == {"Shown GmbH"}
    assert names(api.get(URL, {"q": "Hidden"})) == set()
    assert api.get(f"{URL}/{hidden.pk}").status_code == 404
    facets = api.get(FACETS).json()
    assert {v["value"]: v["count"] for v in facets["country"]} == {"DE": 1}


def test_one_listing(api, listed_partner):
    r = api.get(f"{URL}/{listed_partner.pk}")
    assert r.status_code == 200
    body = r.json()
    assert body["partner_id"] == str(listed_partner.pk)
    assert body["industries"] == [{"slug": "healthcare", "name": "Healthcare"}]
    assert body["headquarters_country"] == {"code": "US", "name": "United States of America"}
    assert {t["code"] for t in body["relationship_types"]} == {"gdap", "reseller"}


@pytest.mark.parametrize("partner_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_listing_is_404_json(api, db, partner_id):
    r = api.get(f"{URL}/{partner_id}")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


def test_text_search_over_name_and_summary(api, listing):
    listing("Northwind Cloud", summary="Teams rollouts for schools.")
    listing("Fourth Coffee", summary="We secure Exchange Online.")
    assert names(api.get(URL, {"q": "northwind"})) == {"Northwind Cloud"}
    assert names(api.get(URL, {"q": "exchange"})) == {"Fourth Coffee"}
    assert names(api.get(URL, {"q": "nothing matches this"})) == set()


@pytest.mark.parametrize(
    "params, field",
    [
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"sort": "bogus"}, "sort"),
        ({"q": "x" * 201}, "q"),
        ({"country": ["DE"] * 31}, "country"),
        ({"industry": "x" * 61}, "industry"),
        ({"page_size": "many"}, "page_size"),
    ],
)
def test_malformed_parameters_are_400(api, three, params, field):
    r = api.get(URL, params)
    assert r.status_code == 400, r.content
    body = r.json()
    assert body["code"] == "invalid"
    assert field in body["errors"]


def test_malformed_facet_parameters_are_400(api, three):
    r = api.get(FACETS, {"q": "x" * 500})
    assert r.status_code == 400
    assert "q" in r.json()["errors"]


def test_sort_by_name_and_pagination(api, listing):
    for name in ["Delta", "Alpha", "Charlie", "Bravo"]:
        listing(name)
    r = api.get(URL, {"sort": "name", "page_size": 2})
    assert r.status_code == 200
    assert [row["name"] for row in r.json()["results"]] == ["Alpha", "Bravo"]
    assert r.json()["next"]
    r = api.get(URL, {"sort": "name", "page_size": 2, "page": 2})
    assert [row["name"] for row in r.json()["results"]] == ["Charlie", "Delta"]


def test_facet_counts_apply_the_other_filters(api, three):
    r = api.get(FACETS, {"country": "DE"})
    assert r.status_code == 200
    facets = r.json()
    # The country facet ignores the country filter itself: every country keeps its count.
    countries = {v["value"]: (v["count"], v["selected"]) for v in facets["country"]}
    assert countries == {"DE": (2, True), "FR": (2, False)}
    # The other facets count partners in DE only (Alpha, Charlie).
    industries = {v["value"]: v["count"] for v in facets["industry"]}
    assert industries["healthcare"] == 1
    assert industries["retail"] == 1
    assert industries["agriculture"] == 0
    sizes = {v["value"]: v["count"] for v in facets["org_size"]}
    assert sizes["1-10"] == 1
    assert sizes["11-50"] == 0


def test_facet_counts_follow_the_text_query(api, listing):
    listing("Secure One", countries=["DE"], relationship_types=["gdap"])
    listing("Other", countries=["FR"], relationship_types=["gdap", "reseller"])
    facets = api.get(FACETS, {"q": "secure"}).json()
    assert {v["value"]: v["count"] for v in facets["country"]} == {"DE": 1}
    types = {v["value"]: v["count"] for v in facets["relationship_type"]}
    assert types["gdap"] == 1
    assert types["reseller"] == 0
    assert len(facets["relationship_type"]) == 9


def test_facets_list_every_filter(api, three):
    facets = api.get(FACETS).json()
    assert set(facets) == {
        "country",
        "industry",
        "product",
        "service",
        "org_size",
        "relationship_type",
    }


def _listings(n, offset=0):
    for i in range(n):
        make_listing(
            f"Partner {offset + i:03d}",
            countries=["DE", "FR"],
            industries=["healthcare", "retail"],
            products=["azure"],
            services_=["migration"],
            org_sizes=["1-10"],
            relationship_types=["gdap"],
        )


@pytest.mark.parametrize("rows", [2, 30])
def test_list_queries_do_not_grow_with_rows(api, db, rows, django_assert_max_num_queries):
    _listings(rows)
    # The page with its total (one query), its values, the curated labels.
    with django_assert_max_num_queries(3):
        r = api.get(URL, {"q": "partner", "country": "DE", "industry": ["retail"]})
    assert r.status_code == 200
    assert r.json()["count"] == rows


@pytest.mark.parametrize("rows", [2, 30])
def test_facet_queries_do_not_grow_with_rows(api, db, rows, django_assert_max_num_queries):
    _listings(rows)
    params = {
        "q": "partner",
        "country": "DE",
        "industry": "retail",
        "product": "azure",
        "service": "migration",
        "org_size": "1-10",
        "relationship_type": "gdap",
    }
    # The curated labels, and one GROUP BY per active filter dimension (six here): the most
    # there can be, for two listings or thirty.
    with django_assert_max_num_queries(7):
        r = api.get(FACETS, params)
    assert r.status_code == 200
    assert r.json()["country"][0]["count"] == rows


def test_postgres_ranks_name_above_summary_and_forgives_misspellings(api, postgres, listing):
    listing("Fabrikam Helpdesk", summary="We run Contoso-style migrations.")
    listing("Contoso Cloud", summary="Cloud services.")
    r = api.get(URL, {"q": "contoso"})
    assert [row["name"] for row in r.json()["results"]] == ["Contoso Cloud", "Fabrikam Helpdesk"]
    # A misspelt name still finds the partner (trigram word similarity).
    assert names(api.get(URL, {"q": "contso"})) == {"Contoso Cloud"}
    # Prefixes match as you type.
    assert names(api.get(URL, {"q": "migra"})) == {"Fabrikam Helpdesk"}
