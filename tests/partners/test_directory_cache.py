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


def test_a_cached_page_links_with_the_scheme_it_was_asked_over(db, api):
    """Next and previous links are absolute: an answer cached for https is not served to
    a plain-http client (or the reverse)."""
    make_listing("Alpha", countries=["DE"])
    make_listing("Bravo", countries=["DE"])
    url = "/api/v1/directory/partners?page_size=1"
    secure = api.get(url, secure=True).json()
    plain = api.get(url).json()
    assert secure["next"].startswith("https://")
    assert plain["next"].startswith("http://")


def test_the_order_of_the_parameters_does_not_change_the_answer(db, api):
    make_listing("Alpha", countries=["DE"], industries=["retail"])
    make_listing("Bravo", countries=["FR"], industries=["retail"])
    one = api.get("/api/v1/directory/partners?industry=retail&country=FR&country=DE")
    other = api.get("/api/v1/directory/partners?country=DE&industry=retail&country=FR")
    assert one.json()["count"] == other.json()["count"] == 2
    assert one.content == other.content


def test_a_cached_answer_carries_the_headers_of_an_answer_drf_renders(db, api):
    """The cached bytes go out as a plain response: the same headers as a DRF Response of
    the same data (the directory's computed answer and a partner's card are DRF's)."""
    profile = make_listing("Alpha", countries=["DE"])
    url = "/api/v1/directory/partners?q=alpha"
    computed, cached = api.get(url), api.get(url)
    card = api.get(f"/api/v1/directory/partners/{profile.tenant_id}")
    assert computed.status_code == cached.status_code == card.status_code == 200

    def headers(response):
        return {k: v for k, v in response.items() if k != "Content-Length"}

    assert headers(cached) == headers(computed) == headers(card)
    assert cached.content == computed.content
