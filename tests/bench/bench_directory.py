"""The public directory on 100,000 certified listings, against honest floors (PostgreSQL only).

The listings live in their own database, generated once and reused (directory_data). A
gunicorn worker serves the product and the floors side by side (server, floors); every
request goes over HTTP, product and floor alternating request by request, so both meet the
same machine at the same moment. Per case, several queries ("terms") take turns, and each
gets its own percentiles; a line per term:

    directory <case> term=<term> p50_ms=.. p95_ms=.. floor_p50_ms=.. floor_p95_ms=..
        ratio_p50=.. ratio=.. target=1.5 queries=.. floor_queries=..

ratio = product p95 / floor p95 for that term (higher is worse); the line passes when
ratio <= target. The API is measured uncached (its per-request response cache is bypassed;
tests.bench.wsgi). The floor of a directory case is the best hand-written SQL for the same
answer plus a DRF view returning the same rows; before timing, each term's product and
floor answers are compared (they must be equal) and their queries counted, in-process.
The landing page (`/partners/`, no parameters, as served: what the product precomputes
per directory version included) is measured against a Django view returning "ok":

    landing page p50_ms=.. p95_ms=.. floor_p50_ms=.. floor_p95_ms=.. ratio_p50=.. ratio=..
        target=3 queries=.. floor_queries=..
"""

import itertools
import json
import os
import statistics
import time
from unittest import mock
from urllib.parse import urlencode

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.throttling import SimpleRateThrottle

from . import directory_data
from .server import Server

LISTINGS = 100_000
WARMUP = 10
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "150"))  # per term and side
# BENCH_DIRECTORY=filters,landing measures only those cases (text, text_country_industry,
# filters, facets, landing).
LANDING_REQUESTS = 4 * REQUESTS
TARGET = 1.5
LANDING_TARGET = 3.0

TERMS = ["cloud", "secure", "migration", "teams", "summit", "contso", "intune", "healthcare"]
PAIRS = [
    ("DE", "healthcare"),
    ("US", "financial-services"),
    ("GB", "retail"),
    ("FR", "manufacturing"),
    ("NL", "education"),
    ("IN", "government"),
]
SIZES = ["11-50", "51-250", "251-1000", "1001-10000"]
API = "/api/v1/directory"
FLOOR = "/bench/floor/directory"


def cases() -> dict[str, list[tuple[str, str, dict]]]:
    """{case: [(term, endpoint, params)]}; the endpoint is "partners" or "facets"."""
    pairs = itertools.cycle(PAIRS)
    sizes = itertools.cycle(SIZES)
    text_pairs = list(zip(TERMS, itertools.cycle(PAIRS), strict=False))
    filters = [((c, i), next(sizes)) for c, i in itertools.islice(pairs, len(PAIRS))]
    return {
        "text": [(t, "partners", {"q": t}) for t in TERMS],
        "text_country_industry": [
            (f"{t}+{c}+{i}", "partners", {"q": t, "country": c, "industry": i})
            for t, (c, i) in text_pairs
        ],
        "filters": [
            (f"{c}+{i}+{s}", "partners", {"country": c, "industry": i, "org_size": s})
            for (c, i), s in filters
        ],
        "facets": [(f"{t}+{c}", "facets", {"q": t, "country": c}) for t, (c, _i) in text_pairs],
    }


def _percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def _interleaved(server: Server, pairs: list[tuple[str, str]], requests: int) -> list:
    """Timings (ms) of each (product, floor) pair of URLs: product and floor alternate
    request by request (which one goes first alternates too), and the pairs take turns,
    so a burst of load elsewhere on the machine spreads over every term and both sides
    instead of landing on one. Returns [(product timings, floor timings)], sorted."""
    timings = [([], []) for _pair in pairs]
    for n in range(WARMUP + requests):
        for (product, floor), (mine, theirs) in zip(pairs, timings, strict=True):
            sides = ((product, mine), (floor, theirs))
            for url, into in sides if n % 2 == 0 else reversed(sides):
                status, body, ms = server.get(url)
                if status != 200:
                    raise AssertionError(f"{url}: {status} {body[:300]!r}")
                if n >= WARMUP:
                    into.append(ms)
    return [(sorted(mine), sorted(theirs)) for mine, theirs in timings]


def _line(name: str, product: list, floor: list, target: float, queries, floor_queries) -> str:
    p50, p95 = statistics.median(product), _percentile(product, 0.95)
    f50, f95 = statistics.median(floor), _percentile(floor, 0.95)
    return (
        f"{name} p50_ms={p50:.2f} p95_ms={p95:.2f} floor_p50_ms={f50:.2f} "
        f"floor_p95_ms={f95:.2f} ratio_p50={p50 / f50:.2f} ratio={p95 / f95:.2f} "
        f"target={target:g} queries={queries} floor_queries={floor_queries}"
    )


def _in_process(client: Client, url: str) -> tuple[bytes, int]:
    """The answer to url in this process, and the queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"{url}: {response.status_code} {response.content[:300]!r}")
    return response.content, len(queries)


def _same_answer(url: str, product: bytes, floor: bytes) -> None:
    mine, theirs = json.loads(product), json.loads(floor)
    for body in (mine, theirs):
        for link in ("next", "previous"):  # the same links, on the product's path
            if isinstance(body, dict) and body.get(link):
                body[link] = body[link].replace(FLOOR, API)
    if mine != theirs:
        raise AssertionError(f"{url}: the product and the floor answer differently")


def _check(client: Client) -> dict[str, tuple[int, int]]:
    """Compare every term's answers and count their queries: {product url: (product
    queries, floor queries)}."""
    counted = {}
    with mock.patch("partners.directory_cache.cached", lambda request, name, compute: compute()):
        for terms in cases().values():
            for _term, endpoint, params in terms:
                query = urlencode(params)
                product, floor = f"{API}/{endpoint}?{query}", f"{FLOOR}/{endpoint}?{query}"
                client.get(product)  # warm the per-version data, as the server has
                mine, queries = _in_process(client, product)
                theirs, floor_queries = _in_process(client, floor)
                _same_answer(product, mine, theirs)
                counted[product] = (queries, floor_queries)
    client.get("/partners/")
    _page, queries = _in_process(client, "/partners/")
    _ok, floor_queries = _in_process(client, "/bench/ok")
    counted["/partners/"] = (queries, floor_queries)
    return counted


def run() -> list[str]:
    if connection.vendor != "postgresql":
        return ["directory skipped reason=needs PostgreSQL (set DATABASE_URL)"]
    lines = []
    with directory_data.bench_database() as database:
        started = time.perf_counter()
        generated = directory_data.ensure_listings(LISTINGS)
        lines.append(
            f"directory setup listings={LISTINGS} database={database} "
            f"generated={'yes' if generated else 'no (reused)'} "
            f"seconds={time.perf_counter() - started:.1f}"
        )
        unthrottled = {"anon": None, "user": None}
        with (
            override_settings(ROOT_URLCONF="tests.bench.urls", DEBUG=False),
            mock.patch.dict(SimpleRateThrottle.THROTTLE_RATES, unthrottled),
        ):
            counted = _check(Client())
        connection.close()
        with Server(database) as server:
            only = [n for n in os.environ.get("BENCH_DIRECTORY", "").split(",") if n]
            for case, terms in cases().items():
                if only and case not in only:
                    continue
                urls = [f"{endpoint}?{urlencode(params)}" for _t, endpoint, params in terms]
                pairs = [(f"{API}/{url}", f"{FLOOR}/{url}") for url in urls]
                measured = _interleaved(server, pairs, REQUESTS)
                for (term, *_rest), (product, _floor), (mine, floor) in zip(
                    terms, pairs, measured, strict=True
                ):
                    name = f"directory {case} term={term}"
                    lines.append(_line(name, mine, floor, TARGET, *counted[product]))
            if only and "landing" not in only:
                return lines
            ((mine, floor),) = _interleaved(server, [("/partners/", "/bench/ok")], LANDING_REQUESTS)
            lines.append(_line("landing page", mine, floor, LANDING_TARGET, *counted["/partners/"]))
    return lines
