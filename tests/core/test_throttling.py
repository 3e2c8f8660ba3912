"""The API's throttles: anonymous callers by address at the anon rate, signed-in callers
at the user rate; the user throttle leaves anonymous callers to the anon throttle only
when that one binds harder."""

import pytest
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

DIRECTORY = "/api/v1/directory/partners"


@pytest.fixture
def rates(monkeypatch):
    def set_rates(anon, user):
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": anon, "user": user})

    return set_rates


def _statuses(api, n, **headers) -> list[int]:
    return [api.get(DIRECTORY, headers=headers).status_code for _ in range(n)]


def test_anonymous_callers_are_limited_per_address(db, api, rates):
    rates("3/minute", "100/minute")
    assert _statuses(api, 4, x_forwarded_for="10.0.0.1") == [200, 200, 200, 429]
    response = api.get(DIRECTORY, headers={"x-forwarded-for": "10.0.0.1"})
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) > 0
    assert _statuses(api, 1, x_forwarded_for="10.0.0.2") == [200]  # another address


def test_the_anon_limit_alone_counts_anonymous_callers_when_it_binds_harder(db, api, rates):
    rates("3/minute", "100/minute")
    _statuses(api, 2, x_forwarded_for="10.0.0.1")
    assert cache.get("throttle_anon_10.0.0.1") is not None
    assert cache.get("throttle_user_10.0.0.1") is None  # no second round trip


def test_the_user_limit_counts_anonymous_callers_when_it_is_the_stricter(db, api, rates):
    rates("100/minute", "2/minute")
    assert _statuses(api, 3, x_forwarded_for="10.0.0.1") == [200, 200, 429]
    rates("100/day", "3/minute")  # the anon limit allows more per minute: the user one counts
    cache.clear()
    assert _statuses(api, 4, x_forwarded_for="10.0.0.1") == [200, 200, 200, 429]


def test_the_user_limit_counts_anonymous_callers_when_there_is_no_anon_limit(db, api, rates):
    rates(None, "2/minute")
    assert _statuses(api, 3, x_forwarded_for="10.0.0.1") == [200, 200, 429]


def test_signed_in_callers_are_limited_per_user(db, api, rates, customer_admin):
    rates("1/minute", "3/minute")
    api.force_login(customer_admin)
    assert _statuses(api, 4) == [200, 200, 200, 429]
