"""The public directory API on 100,000 certified listings (PostgreSQL only).

Generates the listings in a throwaway database (bulk inserts, one UPDATE for the search
documents, ANALYZE), then times typical requests in-process with Django's test client
against a floor measured in the same run: a bare DRF endpoint returning 20 fixed rows
through the same middleware. Prints, per request type:

    directory <case> p50_ms=.. p95_ms=.. floor_p95_ms=.. ratio=.. queries=..

ratio = p95 / floor p95 (target: at most 2.0). Each case cycles through several queries.
The first set of lines is the API as served, with its versioned response cache
(partners/directory_cache.py) in front; the `_uncached` lines bypass the cache and show
what a first request for a query costs (PostgreSQL full-text search and facet counts).
"""

import itertools
import statistics
import time
from unittest import mock

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from . import throwaway_db

LISTINGS = 100_000
CHUNK = 10_000
WARMUP = 20
REQUESTS = 200

_ROW = {
    "partner_id": "00000000-0000-0000-0000-000000000000",
    "name": "Summit Cloud GmbH",
    "summary": "Summit plans and delivers Microsoft 365 migrations with zero downtime. "
    "Certified engineers in DE, support in English and German.",
    "website": "https://summit.example",
    "headquarters_country": {"code": "DE", "name": "Germany"},
    "countries": [{"code": "DE", "name": "Germany"}, {"code": "AT", "name": "Austria"}],
    "industries": [{"slug": "healthcare", "name": "Healthcare"}],
    "products": [{"slug": "microsoft-365", "name": "Microsoft 365"}],
    "services": [{"slug": "migration", "name": "Migration"}],
    "org_sizes": [{"slug": "51-250", "name": "51 to 250 employees"}],
    "relationship_types": [{"code": "gdap", "name": "Granular delegated admin (GDAP)"}],
    "is_certified": True,
}
FLOOR_BODY = {"count": 20, "next": None, "previous": None, "results": [_ROW] * 20}


class FloorView(APIView):
    """The floor: DRF, the middleware stack and JSON rendering of 20 rows, and no query."""

    permission_classes = [AllowAny]

    def get(self, request):
        return Response(FLOOR_BODY)


urlpatterns = [
    path("bench/floor", FloorView.as_view()),
    path("api/v1/", include("config.api_urls")),
]

TERMS = ["cloud", "secure", "migration", "teams", "summit", "contso", "intune", "healthcare"]
PAIRS = [("DE", "healthcare"), ("US", "financial-services"), ("GB", "retail"),
         ("FR", "manufacturing"), ("NL", "education"), ("IN", "government")]  # fmt: skip
SIZES = ["11-50", "51-250", "251-1000", "1001-10000"]


def _cases() -> dict[str, list[str]]:
    base = "/api/v1/directory"
    text = [f"{base}/partners?q={t}" for t in TERMS]
    text_country_industry = [
        f"{base}/partners?q={t}&country={c}&industry={i}"
        for t, (c, i) in zip(TERMS, itertools.cycle(PAIRS), strict=False)
    ]
    filters = [
        f"{base}/partners?country={c}&industry={i}&org_size={s}"
        for (c, i), s in zip(PAIRS, itertools.cycle(SIZES), strict=False)
    ]
    facets = [
        f"{base}/facets?q={t}&country={c}"
        for t, (c, _i) in zip(TERMS, itertools.cycle(PAIRS), strict=False)
    ]
    return {
        "text": text,
        "text_country_industry": text_country_industry,
        "filters": filters,
        "facets": facets,
    }


def _percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def _measure(client: Client, urls: list[str]) -> tuple[float, float, int]:
    cycle = itertools.cycle(urls)
    for _ in range(WARMUP):
        assert client.get(next(cycle)).status_code == 200
    timings = []
    for _ in range(REQUESTS):
        url = next(cycle)
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise AssertionError(f"{url}: {response.status_code} {response.content[:200]!r}")
    with CaptureQueriesContext(connection) as queries:
        client.get(urls[0])
    timings.sort()
    return statistics.median(timings), _percentile(timings, 0.95), len(queries)


def _populate() -> None:
    from portal.demo.partners import bulk_create_listings, generate

    rows = generate(LISTINGS, seed=4242)
    while chunk := list(itertools.islice(rows, CHUNK)):
        bulk_create_listings(chunk, batch_size=CHUNK)
    with connection.cursor() as cursor:
        # Fresh statistics, and a visibility map so the facet counts use index-only scans.
        cursor.execute("VACUUM ANALYZE")


def run() -> list[str]:
    if connection.vendor != "postgresql":
        return ["directory skipped reason=needs PostgreSQL"]
    lines = []
    with throwaway_db():
        started = time.perf_counter()
        _populate()
        lines.append(
            f"directory setup listings={LISTINGS} seconds={time.perf_counter() - started:.1f}"
        )
        unthrottled = {"anon": "100000000/minute", "user": "100000000/minute"}
        with (
            override_settings(ROOT_URLCONF=__name__, DEBUG=False),
            mock.patch.dict(SimpleRateThrottle.THROTTLE_RATES, unthrottled),
        ):
            client = Client()
            _floor_p50, floor_p95, _q = _measure(client, ["/bench/floor"])
            # As served: the versioned response cache (partners/directory_cache.py) in front.
            for case, urls in _cases().items():
                p50, p95, queries = _measure(client, urls)
                lines.append(
                    f"directory {case} p50_ms={p50:.2f} p95_ms={p95:.2f} "
                    f"floor_p95_ms={floor_p95:.2f} ratio={p95 / floor_p95:.2f} queries={queries}"
                )
            # The same requests with the cache bypassed: what every first request costs.
            with mock.patch(
                "partners.directory_cache.cached", lambda request, name, compute: compute()
            ):
                for case, urls in _cases().items():
                    p50, p95, queries = _measure(client, urls)
                    lines.append(
                        f"directory {case}_uncached p50_ms={p50:.2f} p95_ms={p95:.2f} "
                        f"floor_p95_ms={floor_p95:.2f} ratio={p95 / floor_p95:.2f} "
                        f"queries={queries}"
                    )
    return lines
