"""Throughput of the cached API directory under gunicorn, against a bare view (issue 16).

The server is gunicorn as deployed (WORKERS sync workers, the project's middleware, its
throttles at the production rates, the Redis cache when REDIS_URL is set), on the
directory bench's 100,000 listings; the directory API answers from its response cache, as
it does for every request but the first of a query. The floor is a Django view returning
"ok" served by the same gunicorn, through the same middleware: the ratio is what the
product's view adds over a bare one. A load process of its own (tests.bench.load) keeps
CLIENTS requests in flight; the sides take turns for SECONDS each, ROUNDS times, in an
order that alternates, so load elsewhere on the machine spreads over all of them:

    throughput directory anonymous rps=.. floor_rps=.. ratio=.. target=2 ...
    throughput directory token rps=.. floor_rps=.. ratio=.. ...

ratio = floor requests/s ÷ product requests/s (higher is worse). Anonymous callers come
from many addresses (X-Forwarded-For, as a proxy sets it) and signed-in ones hold one of
TOKENS personal access tokens, each below its rate limit: the throttles do all their work
and refuse nobody. Any answer but 200 fails the bench. The token line has no target: a
token is looked up in the database on every request (revocation takes effect at once),
which a bare view never pays. BENCH_WORKERS, BENCH_CLIENTS, BENCH_ROUNDS and
BENCH_SECONDS change the set-up.
"""

import json
import os
import subprocess
import sys
from unittest import mock

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from . import directory_data
from .bench_directory import LISTINGS
from .server import ROOT, Server

WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
TARGET = 2.0
TOKENS = 200
THROTTLES = {"BENCH_THROTTLE_ANON": "120/minute", "BENCH_THROTTLE_USER": "1200/minute"}

PRODUCT = "/api/v1/directory/partners?q=cloud&country=DE"
FLOOR = "/bench/ok"
ADDRESSES = 20_000
ANONYMOUS = ["X-Forwarded-For: 10.7.{n}"]
TOKEN_PREFIX = "bench-throughput-"


def _tokens() -> list[str]:
    """TOKENS personal access tokens (and their users) in the bench database."""
    from tenants.models import ApiToken, User
    from tenants.tokens import hash_token

    raws = [f"lia_benchthroughput{n}" for n in range(TOKENS)]
    if ApiToken.objects.filter(name__startswith=TOKEN_PREFIX).count() != TOKENS:
        ApiToken.objects.filter(name__startswith=TOKEN_PREFIX).delete()
        User.objects.filter(email__startswith=TOKEN_PREFIX).delete()
        users = User.objects.bulk_create(
            User(email=f"{TOKEN_PREFIX}{n}@bench.invalid", display_name=f"Bench {n}")
            for n in range(TOKENS)
        )
        ApiToken.objects.bulk_create(
            ApiToken(user=u, name=f"{TOKEN_PREFIX}{n}", prefix=raw[:8], token_hash=hash_token(raw))
            for n, (u, raw) in enumerate(zip(users, raws, strict=True))
        )
    return raws


def _queries(client: Client, url: str, **headers) -> int:
    """Queries of a repeated (cached) answer to url, in this process."""
    client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    if response.status_code != 200:
        raise AssertionError(f"{url}: {response.status_code} {response.content[:300]!r}")
    return len(queries)


def _load(server: Server, side: tuple, seconds: float) -> dict:
    path, identities, headers = side
    command = [sys.executable, "-m", "tests.bench.load", server.socket_path, str(seconds)]
    command += [str(CLIENTS), str(identities), path, *headers]
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    result = json.loads(out)
    if set(result["statuses"]) != {"200"}:
        raise AssertionError(f"{path}: answers {result['statuses']}")
    return result


def run() -> list[str]:
    if connection.vendor != "postgresql":
        return ["throughput skipped reason=needs PostgreSQL (set DATABASE_URL)"]
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    with directory_data.bench_database() as database:
        directory_data.ensure_listings(LISTINGS)
        raws = _tokens()
        rates = {"anon": THROTTLES["BENCH_THROTTLE_ANON"], "user": THROTTLES["BENCH_THROTTLE_USER"]}
        from rest_framework.throttling import SimpleRateThrottle

        with (
            override_settings(
                ROOT_URLCONF="tests.bench.urls",
                DEBUG=False,
                REST_FRAMEWORK={**settings.REST_FRAMEWORK, "NUM_PROXIES": 1},
            ),
            mock.patch.dict(SimpleRateThrottle.THROTTLE_RATES, rates),
        ):
            client = Client()
            queries = {
                "anonymous": _queries(client, PRODUCT, x_forwarded_for="10.0.0.1"),
                "token": _queries(client, PRODUCT, authorization=f"Bearer {raws[0]}"),
            }
            floor_queries = _queries(client, FLOOR)
        connection.close()
        sides = {  # (path, callers, headers: {n} is the caller's number)
            "floor": (FLOOR, ADDRESSES, ANONYMOUS),
            "anonymous": (PRODUCT, ADDRESSES, ANONYMOUS),
            "token": (PRODUCT, TOKENS, ["Authorization: Bearer lia_benchthroughput{n}"]),
        }
        totals = {side: [0, 0.0] for side in sides}
        app = "tests.bench.wsgi_cached:application"
        with Server(database, app=app, workers=WORKERS, env=THROTTLES) as server:
            for side in sides.values():  # warm: connections, caches, imports
                _load(server, side, 1.0)
            order = list(sides)
            for n in range(ROUNDS):
                for side in order if n % 2 == 0 else reversed(order):
                    result = _load(server, sides[side], SECONDS)
                    totals[side][0] += result["requests"]
                    totals[side][1] += result["seconds"]
                order = order[1:] + order[:1]
    rate = {side: done / seconds for side, (done, seconds) in totals.items()}
    lines = []
    for side, target in (("anonymous", f" target={TARGET:g}"), ("token", "")):
        lines.append(
            f"throughput directory {side} rps={rate[side]:.0f} floor_rps={rate['floor']:.0f} "
            f"ratio={rate['floor'] / rate[side]:.2f}{target} "
            f"requests={totals[side][0]} floor_requests={totals['floor'][0]} "
            f"queries={queries[side]} floor_queries={floor_queries} "
            f"workers={WORKERS} clients={CLIENTS} rounds={ROUNDS} seconds={SECONDS:g} "
            f"cache={cache}"
        )
    return lines
