"""The directory's cache is an accelerator: when it fails, every answer is computed."""

from unittest import mock

from tests.partners.conftest import make_listing

OPERATIONS = ("get", "get_many", "set", "add", "incr")


def test_directory_answers_without_the_cache(db, api, client):
    down = mock.Mock(**{f"{op}.side_effect": ConnectionError("down") for op in OPERATIONS})
    with mock.patch("partners.directory_cache.cache", down):
        make_listing("Alpha", countries=["DE"], industries=["retail"])  # saves still work
        assert api.get("/api/v1/directory/partners").json()["count"] == 1
        facets = api.get("/api/v1/directory/facets", {"q": "alpha"}).json()
        assert {v["value"]: v["count"] for v in facets["country"]} == {"DE": 1}
        page = client.get("/partners/")
        assert page.status_code == 200
        assert "Alpha" in page.content.decode()


def test_a_change_shows_on_the_landing_page_at_once(db, client):
    make_listing("Alpha", countries=["DE"])
    assert "1 partner found" in client.get("/partners/").content.decode()
    make_listing("Bravo", countries=["FR"])
    content = client.get("/partners/").content.decode()
    assert "2 partners found" in content
    assert "Bravo" in content
