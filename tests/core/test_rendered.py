"""Cached API answers kept as rendered JSON read exactly as DRF renders them: compact by
default, indented when asked, and the browsable API still gets the data."""

import json

from tests.partners.conftest import make_listing

URL = "/api/v1/directory/partners?q=alpha"


def test_a_cached_answer_reads_as_rendered_the_first_time(db, api):
    make_listing("Alpha", countries=["DE"])
    first, again = api.get(URL), api.get(URL)  # computed, then from the cache
    assert first.status_code == again.status_code == 200
    assert first["Content-Type"] == again["Content-Type"] == "application/json"
    assert first.content == again.content
    assert b"\n" not in again.content  # compact, as JSONRenderer writes it
    assert again.json()["results"][0]["name"] == "Alpha"


def test_indent_and_the_browsable_api_still_render_the_data(db, api):
    make_listing("Alpha", countries=["DE"])
    compact = api.get(URL).json()
    indented = api.get(URL, HTTP_ACCEPT="application/json; indent=4")
    assert b'\n    "count"' in indented.content
    assert json.loads(indented.content) == compact
    page = api.get(URL, HTTP_ACCEPT="text/html")  # DEBUG: the browsable API
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "Alpha" in page.content.decode()
