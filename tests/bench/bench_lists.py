"""Tenant lists at partner scale, against honest floors (PostgreSQL only; issue 16).

Two partners alike but for their size share the bench database (lists_data): one with
10,000 customers, one with 100. A gunicorn worker (server) serves the product's API and
the floors side by side; each request carries the partner admin's bearer token. For each
list, the page of 50 of the big partner and of the small one, product and floor,
alternate request by request. Before timing, the product's and the floor's answers are
compared (they must be equal) and the queries of every URL counted, in-process. Lines:

    customers p50_ms=.. p95_ms=.. floor_p50_ms=.. floor_p95_ms=.. ratio_p50=.. ratio=..
        target=2 queries=.. floor_queries=..
    customers scaling p50_ms=.. (10k) small_p50_ms=.. (100) ratio_p50=.. ratio=.. target=1.5
        queries=.. small_queries=..
    lists <name> ...                 (the same two lines per other list)

Every list has a floor (tests/bench/floors_lists.py). Received invitations, subscriptions
and Autopilot devices are read in the customer tenant of each size, as its admin (lists_data).

ratio = product p95 / floor p95 at 10k rows; for scaling, product p95 at 10k / product
p95 at 100 (ratio_p50 the same with medians). A line passes when ratio <= target.
"""

import json
import os
import statistics
import time
from unittest import mock

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.throttling import SimpleRateThrottle

from . import directory_data, lists_data
from .server import Server

WARMUP = 5
REQUESTS = int(os.environ.get("BENCH_LIST_REQUESTS", "60"))  # per URL
# BENCH_LISTS=customers,users measures only those lists.
TARGET = 2.0
SCALING_TARGET = 1.5
PAGE = "page_size=50"
FLOOR = "/bench/floor/lists"
API = "/api/v1/tenants/{tid}"


# Lists read in the customer tenant of the partner's size (lists_data), as its admin.
CUSTOMER_SIDE = {"invitations_received", "subscriptions", "devices"}


def lists() -> list[tuple[str, str, str | None]]:
    """[(line name, product path with {tid}, floor path with {tid} or None)]; {tid} is the
    partner's, or the customer's for the lists in CUSTOMER_SIDE."""
    return [
        ("customers", f"{API}/customers?{PAGE}", f"{FLOOR}/{{tid}}/customers?{PAGE}"),
        (
            "gdap_relationships",
            f"{API}/delegated-admin-relationships?{PAGE}",
            f"{FLOOR}/{{tid}}/delegated-admin-relationships?{PAGE}",
        ),
        (
            "expiring",
            f"{API}/delegated-admin-relationships/expiring?{PAGE}",
            f"{FLOOR}/{{tid}}/expiring?{PAGE}",
        ),
        (
            "invitations_sent",
            f"{API}/invitations?direction=sent&{PAGE}",
            f"{FLOOR}/{{tid}}/invitations?direction=sent&{PAGE}",
        ),
        ("users", f"{API}/users?{PAGE}", f"{FLOOR}/{{tid}}/users?{PAGE}"),
        ("audit_events", f"{API}/audit-events?{PAGE}", f"{FLOOR}/{{tid}}/audit-events?{PAGE}"),
        ("leads", f"{API}/leads?{PAGE}", f"{FLOOR}/{{tid}}/leads?{PAGE}"),
        (
            "invitations_received",
            f"{API}/invitations?direction=received&{PAGE}",
            f"{FLOOR}/{{tid}}/invitations?direction=received&{PAGE}",
        ),
        ("subscriptions", f"{API}/subscriptions?{PAGE}", f"{FLOOR}/{{tid}}/subscriptions?{PAGE}"),
        (
            "devices",
            f"{API}/autopilot-devices?{PAGE}",
            f"{FLOOR}/{{tid}}/autopilot-devices?{PAGE}",
        ),
    ]


def _percentile(values: list[float], fraction: float) -> float:
    return values[min(len(values) - 1, round(fraction * (len(values) - 1)))]


def _interleaved(server: Server, urls: list[tuple[str, dict]], requests: int) -> list[list]:
    """Timings (ms) per URL, the URLs taking turns request by request (the order of each
    round alternates), so load elsewhere on the machine spreads over every URL."""
    timings: list[list] = [[] for _url in urls]
    for n in range(WARMUP + requests):
        order = list(zip(urls, timings, strict=True))
        for (url, headers), into in order if n % 2 == 0 else reversed(order):
            status, body, ms = server.get(url, headers)
            if status != 200:
                raise AssertionError(f"{url}: {status} {body[:300]!r}")
            if n >= WARMUP:
                into.append(ms)
    return [sorted(t) for t in timings]


def _in_process(client: Client, url: str, token: str) -> tuple[dict, int]:
    """The answer and the queries of a request like the timed ones: after a first request,
    which may also record the token's use (once a minute)."""
    client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    if response.status_code != 200:
        raise AssertionError(f"{url}: {response.status_code} {response.content[:300]!r}")
    return json.loads(response.content), len(queries)


def _same(url: str, product: dict, floor: dict, floor_url: str) -> None:
    for link in ("next", "previous"):
        if floor.get(link):
            floor[link] = floor[link].replace(floor_url.split("?")[0], url.split("?")[0])
    if product != floor:
        raise AssertionError(
            f"{url}: the product and the floor answer differently ({_difference(product, floor)})"
        )


def _difference(product, floor, where="") -> str:
    """Where two answers first differ, and the two values there."""
    if isinstance(product, dict) and isinstance(floor, dict):
        for key in dict.fromkeys([*product, *floor]):
            if product.get(key, "<missing>") != floor.get(key, "<missing>"):
                return _difference(product.get(key), floor.get(key), f"{where}.{key}")
    if isinstance(product, list) and isinstance(floor, list) and len(product) == len(floor):
        for n, (mine, theirs) in enumerate(zip(product, floor, strict=True)):
            if mine != theirs:
                return _difference(mine, theirs, f"{where}[{n}]")
    return f"at {where or 'top'}: product {str(product)[:200]!r}, floor {str(floor)[:200]!r}"


def _stats(values):
    return statistics.median(values), _percentile(values, 0.95)


def run() -> list[str]:
    if connection.vendor != "postgresql":
        return ["lists skipped reason=needs PostgreSQL (set DATABASE_URL)"]
    lines = []
    with directory_data.bench_database() as database:
        started = time.perf_counter()
        generated = lists_data.ensure()
        lines.append(
            f"lists setup customers={lists_data.SIZES['big']}+{lists_data.SIZES['small']} "
            f"database={database} generated={'yes' if generated else 'no (reused)'} "
            f"seconds={time.perf_counter() - started:.1f}"
        )
        sides = {
            "partner": {s: lists_data.partner_id(s) for s in lists_data.SIZES},
            "customer": {s: lists_data.customer_id(s) for s in lists_data.SIZES},
        }
        side_tokens = {
            side: {s: lists_data.api_token(s, side) for s in lists_data.SIZES} for side in sides
        }
        cases = []  # (name, {size: product url}, {size: floor url or None}, {size: token})
        only = [n for n in os.environ.get("BENCH_LISTS", "").split(",") if n]
        for name, product, floor in lists():
            if only and name not in only:
                continue
            side = "customer" if name in CUSTOMER_SIDE else "partner"
            tids = sides[side]
            cases.append(
                (
                    name,
                    {s: product.format(tid=t) for s, t in tids.items()},
                    {s: floor.format(tid=t) if floor else None for s, t in tids.items()},
                    side_tokens[side],
                )
            )
        counted = {}
        unthrottled = {"anon": None, "user": None}
        with (
            override_settings(ROOT_URLCONF="tests.bench.urls", DEBUG=False),
            mock.patch.dict(SimpleRateThrottle.THROTTLE_RATES, unthrottled),
        ):
            client = Client()
            for _name, products, floors, tokens in cases:
                for size in lists_data.SIZES:
                    mine, counted[products[size]] = _in_process(
                        client, products[size], tokens[size]
                    )
                    if floors[size]:
                        theirs, counted[floors[size]] = _in_process(
                            client, floors[size], tokens[size]
                        )
                        _same(products[size], mine, theirs, floors[size])
        connection.close()
        with Server(database) as server:
            for name, products, floors, tokens in cases:
                urls = [(products["big"], tokens["big"]), (products["small"], tokens["small"])]
                if floors["big"]:
                    urls.append((floors["big"], tokens["big"]))
                measured = _interleaved(
                    server,
                    [(url, {"Authorization": f"Bearer {token}"}) for url, token in urls],
                    REQUESTS,
                )
                big, small = _stats(measured[0]), _stats(measured[1])
                label = name if name == "customers" else f"lists {name}"
                if floors["big"]:
                    floor = _stats(measured[2])
                    lines.append(
                        f"{label} p50_ms={big[0]:.2f} p95_ms={big[1]:.2f} "
                        f"floor_p50_ms={floor[0]:.2f} floor_p95_ms={floor[1]:.2f} "
                        f"ratio_p50={big[0] / floor[0]:.2f} ratio={big[1] / floor[1]:.2f} "
                        f"target={TARGET:g} queries={counted[products['big']]} "
                        f"floor_queries={counted[floors['big']]}"
                    )
                lines.append(
                    f"{label} scaling p50_ms={big[0]:.2f} p95_ms={big[1]:.2f} "
                    f"small_p50_ms={small[0]:.2f} small_p95_ms={small[1]:.2f} "
                    f"ratio_p50={big[0] / small[0]:.2f} ratio={big[1] / small[1]:.2f} "
                    f"target={SCALING_TARGET:g} queries={counted[products['big']]} "
                    f"small_queries={counted[products['small']]}"
                )
    return lines
