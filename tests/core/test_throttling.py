"""The API's throttles: anonymous callers by address at the anon rate, signed-in callers
at the user rate; the user throttle leaves anonymous callers to the anon throttle only
when that one binds harder. Each test runs on the local-memory cache (DRF's request log)
and on Redis (core.throttling's sorted sets), when Redis is there."""

import os
import uuid

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.throttling import SimpleRateThrottle

from tests.conftest import REQUIRE_SERVICES, missing, redis_reachable

DIRECTORY = "/api/v1/directory/partners"


@pytest.fixture(params=["locmem", "redis"], autouse=True)
def cache_kind(request):
    if request.param == "locmem":
        locmem = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-throttling-{uuid.uuid4().hex}",  # this test's own memory
        }
        with override_settings(CACHES={"default": locmem}):
            yield request.param
            cache.clear()
        return
    url = os.environ.get("REDIS_URL") or os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis") or not redis_reachable(url):
        missing("needs Redis (set REDIS_URL)", required=REQUIRE_SERVICES)
    prefix = f"test-throttling-{uuid.uuid4().hex}"
    redis_cache = {
        "BACKEND": "core.redis_client.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": prefix,
    }
    with override_settings(CACHES={"default": redis_cache}):
        yield request.param
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(match=f"{prefix}:*"):  # never flush a shared database
            client.delete(key)


def _logged(key: str) -> bool:
    """Whether a throttle keeps a request log under key (either kind)."""
    if cache.get(key) is not None:
        return True
    backend = getattr(cache, "_cache", None)
    if hasattr(backend, "get_client"):
        return bool(backend.get_client().exists(cache.make_key(f"{key}:log")))
    return False


@pytest.fixture
def rates(monkeypatch):
    def set_rates(anon, user):
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": anon, "user": user})

    return set_rates


def _statuses(api, n, address="10.0.0.1", **headers) -> list[int]:
    return [api.get(DIRECTORY, headers=headers, REMOTE_ADDR=address).status_code for _ in range(n)]


def test_anonymous_callers_are_limited_per_address(db, api, rates):
    rates("3/minute", "100/minute")
    assert _statuses(api, 4) == [200, 200, 200, 429]
    response = api.get(DIRECTORY, REMOTE_ADDR="10.0.0.1")
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) > 0
    assert _statuses(api, 1, address="10.0.0.2") == [200]  # another address


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(db, api, rates):
    rates("3/minute", "100/minute")
    forged = [
        api.get(DIRECTORY, REMOTE_ADDR="10.0.0.1", headers={"x-forwarded-for": f"10.9.0.{n}"})
        for n in range(4)
    ]
    assert [r.status_code for r in forged] == [200, 200, 200, 429]


def test_behind_trusted_proxies_the_address_they_saw_counts(db, api, rates, settings):
    rates("2/minute", "100/minute")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    # The proxy appends the address it saw; what the client wrote before it is ignored.
    seen = [
        api.get(
            DIRECTORY, REMOTE_ADDR="10.0.0.254", headers={"x-forwarded-for": f"1.1.1.{n}, 10.0.0.7"}
        ).status_code
        for n in range(3)
    ]
    assert seen == [200, 200, 429]
    other = api.get(DIRECTORY, REMOTE_ADDR="10.0.0.254", headers={"x-forwarded-for": "10.0.0.8"})
    assert other.status_code == 200


def test_the_anon_limit_alone_counts_anonymous_callers_when_it_binds_harder(db, api, rates):
    rates("3/minute", "100/minute")
    _statuses(api, 2)
    assert _logged("throttle_anon_10.0.0.1")
    assert not _logged("throttle_user_10.0.0.1")  # no second log


def test_the_user_limit_counts_anonymous_callers_when_it_is_the_stricter(db, api, rates):
    rates("100/minute", "2/minute")
    assert _statuses(api, 3) == [200, 200, 429]
    rates("100/day", "3/minute")  # the anon limit allows more per minute: the user one counts
    cache.clear()
    assert _statuses(api, 4) == [200, 200, 200, 429]


def test_the_user_limit_counts_anonymous_callers_when_there_is_no_anon_limit(db, api, rates):
    rates(None, "2/minute")
    assert _statuses(api, 3) == [200, 200, 429]


def test_signed_in_callers_are_limited_per_user(db, api, rates, customer_admin):
    rates("1/minute", "3/minute")
    api.force_login(customer_admin)
    assert _statuses(api, 4) == [200, 200, 200, 429]


def test_the_directory_reads_its_answer_in_the_throttles_round_trip(db, api, rates, cache_kind):
    from unittest import mock

    from django.core.cache import caches

    from tests.partners.conftest import make_listing

    rates("100/minute", "1000/minute")
    make_listing("Alpha", countries=["DE"])
    url, ip = f"{DIRECTORY}?q=alpha", {"REMOTE_ADDR": "10.0.0.1"}
    first = api.get(url, **ip).json()
    assert first["count"] == 1
    if cache_kind == "redis":  # the cached answer comes with the throttle's script
        backend = caches["default"]
        with mock.patch.object(backend, "get_many", wraps=backend.get_many) as get_many:
            assert api.get(url, **ip).json() == first
        assert not get_many.called
    make_listing("Alpha Two", countries=["FR"])
    assert api.get(url, **ip).json()["count"] == 2  # a change shows at once


@pytest.mark.parametrize("num_proxies", [None, 0, 1, 2])
@pytest.mark.parametrize(
    "forwarded", [None, "1.1.1.1", "1.1.1.1, 10.0.0.7", " 1.1.1.1 ,2.2.2.2 , 10.0.0.7 ", ""]
)
def test_callers_are_told_apart_as_drf_tells_them(num_proxies, forwarded, settings):
    """The throttles read the caller's address from META as DRF's get_ident does from
    request.headers: the same address for every proxy setting and header."""
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from core.throttling import AnonRateThrottle

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": num_proxies}
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    request = Request(APIRequestFactory().get(DIRECTORY, REMOTE_ADDR="10.0.0.254", **headers))
    drf = SimpleRateThrottle.get_ident(AnonRateThrottle(), request)
    assert AnonRateThrottle().get_ident(request) == drf
