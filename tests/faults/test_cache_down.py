"""Redis (the cache) down: the site answers, uncached; the rate limits count per process.

CACHE_URL points at a port where nothing listens. Before issue 13 every one of these
answered 500 (the throttles, allauth's rate limits and the directory all lived on it).
"""

import logging

import pytest
from rest_framework.throttling import SimpleRateThrottle

from core import cache as resilient
from tests.factories import UserFactory
from tests.faults.http_support import closed_port, unreachable_cache
from tests.partners.conftest import make_listing


@pytest.fixture
def cache_down(settings):
    resilient._down_until.clear()
    settings.CACHES = unreachable_cache(closed_port())
    yield
    resilient._down_until.clear()


def test_the_directory_answers_uncached(db, api, client, cache_down, caplog):
    caplog.set_level(logging.WARNING, logger="core.cache")
    make_listing("Alpha", countries=["DE"], industries=["retail"])

    response = api.get("/api/v1/directory/partners")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert api.get("/api/v1/directory/facets", {"q": "alpha"}).status_code == 200
    make_listing("Bravo", countries=["FR"])  # no stale process copy while Redis is away
    assert api.get("/api/v1/directory/partners").json()["count"] == 2

    assert any("cache unavailable" in r.getMessage() for r in caplog.records)


def test_pages_answer(db, client, cache_down):
    make_listing("Alpha", countries=["DE"])
    page = client.get("/partners/")
    assert page.status_code == 200
    assert "Alpha" in page.content.decode()
    assert client.get("/").status_code in (200, 302)
    assert client.get("/accounts/login/").status_code == 200


def test_sign_in_works_and_its_rate_limit_counts_per_process(db, client, cache_down, caplog):
    caplog.set_level(logging.WARNING, logger="core.cache")
    UserFactory(email="ann@fabrikam.example")

    response = client.post(
        "/accounts/login/", {"login": "ann@fabrikam.example", "password": "pw-Liaison-2026"}
    )

    assert response.status_code == 302
    assert client.get("/profile/sign-ins/").status_code == 200
    assert any("cache unavailable" in r.getMessage() for r in caplog.records)


def test_a_throttled_endpoint_answers_and_still_throttles(db, api, cache_down, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": None})

    answers = [api.get("/api/v1/directory/partners").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]


def test_the_cache_is_not_tried_on_every_request_while_down(db, api, cache_down, monkeypatch):
    api.get("/api/v1/directory/partners")
    assert not resilient.available()
    tries = []
    real = resilient.RedisCache.get

    def counted(*args, **kwargs):
        tries.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(resilient.RedisCache, "get", counted)

    for _ in range(3):
        assert api.get("/api/v1/directory/partners").status_code == 200

    assert tries == []


def test_the_cache_comes_back(db, api, cache_down, settings, monkeypatch, caplog):
    """After RETRY_SECONDS the process tries Redis again, and says so when it answers."""
    import os

    url = os.environ.get("LIAISON_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
    if not _reachable(url):
        pytest.skip("needs a Redis (LIAISON_TEST_REDIS_URL)")
    api.get("/api/v1/directory/partners")
    assert not resilient.available()
    caplog.set_level(logging.WARNING, logger="core.cache")
    location = next(iter(resilient._down_until))
    backend_settings = unreachable_cache(0)
    backend_settings["default"]["LOCATION"] = url
    settings.CACHES = backend_settings
    resilient._down_until[url] = 1.0  # past: the next operation tries Redis

    assert api.get("/api/v1/directory/partners").status_code == 200

    assert resilient.available()
    assert location in resilient._down_until  # the other location is still down
    assert any("available again" in r.getMessage() for r in caplog.records)


def _reachable(url: str) -> bool:
    from tests.conftest import redis_reachable

    return redis_reachable(url)
