"""The public directory pages: search form, filters, htmx fragment, escaping."""

import re

import pytest

from tests.partners.conftest import make_listing


@pytest.fixture
def partners(db):
    make_listing("Alpha", countries=["DE"], industries=["healthcare"])
    make_listing("Bravo", countries=["FR"], industries=["retail"])


def test_directory_page_lists_and_filters(client, partners):
    page = client.get("/partners/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Alpha" in content and "Bravo" in content
    assert 'hx-get="/partners/"' in content
    assert 'hx-push-url="true"' in content
    page = client.get("/partners/", {"country": "FR"})
    content = page.content.decode()
    assert "Bravo" in content and "Alpha</a>" not in content
    # The chosen filter stays checked, so the URL and the form agree.
    assert re.search(r'name="country" value="FR" id="facet-country-\d+" checked', content)
    assert not re.search(r'name="country" value="DE" id="facet-country-\d+" checked', content)


def test_htmx_request_gets_the_results_fragment(client, partners):
    r = client.get("/partners/", {"q": "alpha"}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    content = r.content.decode()
    assert "<html" not in content
    assert "Alpha" in content
    assert "HX-Request" in r["Vary"]


def test_summary_html_is_escaped(client, db):
    evil = make_listing("Evil Corp", summary='<script>alert("x")</script><b>bold</b>')
    for url in ["/partners/", f"/partners/{evil.pk}/"]:
        content = client.get(url).content.decode()
        assert "<script>alert" not in content
        assert "&lt;script&gt;alert" in content
        assert "<b>bold</b>" not in content


def test_bad_parameters_show_an_error(client, partners):
    r = client.get("/partners/", {"sort": "bogus"})
    assert r.status_code == 400
    assert "Choose relevance or name." in r.content.decode()


def test_partner_page_and_unlisted_partner(client, partners):
    hidden = make_listing("Hidden", certified=False)
    assert client.get(f"/partners/{hidden.pk}/").status_code == 404
    assert client.get("/partners/00000000-0000-0000-0000-000000000000/").status_code == 404


@pytest.mark.parametrize("rows", [2, 30])
def test_page_queries_do_not_grow(client, db, rows, django_assert_max_num_queries):
    for i in range(rows):
        make_listing(f"P{i:03d}", countries=["DE"], industries=["retail"])
    # Labels, the page with its total, the page's values, facet counts (1 + 2 filters).
    with django_assert_max_num_queries(6):
        r = client.get("/partners/", {"q": "P", "country": "DE", "industry": "retail"})
    assert r.status_code == 200
