"""/healthz and /readyz for load balancers and compose health checks.

Answered by the first middleware, before host validation, the SSL redirect, sessions,
authentication, throttles and the body limit: a load balancer asks by IP over plain http,
signs in as nobody, and /healthz must answer while the database is down.

- /healthz: the process is alive (no database, no cache, nothing else).
- /readyz: the database answers (SELECT 1), the cache's server answers (PING), the broker
  answers (PING), and the oldest mail still queued in the outbox is younger than
  READYZ_MAIL_QUEUE_MAX_AGE (with the number of mails waiting and of dead letters). Two
  queries at most. 200 when every check in READYZ_REQUIRED
  passes, else 503; every check is reported either way.
"""

import logging
import time

from django.conf import settings
from django.db import connections
from django.http import JsonResponse

from core import cache as resilient
from notifications.services import outbox_health

log = logging.getLogger(__name__)

PATHS = {"/healthz": "healthz", "/healthz/": "healthz", "/readyz": "readyz", "/readyz/": "readyz"}
TIMEOUT = 1.0  # seconds, per network check
NO_STORE = {"Cache-Control": "no-store"}


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = PATHS.get(request.path_info)
        if name is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        return healthz() if name == "healthz" else readyz()


def healthz() -> JsonResponse:
    return JsonResponse({"status": "ok"}, headers=NO_STORE)


def readyz() -> JsonResponse:
    checks = {
        "database": _timed(_database),
        "cache": _timed(_cache),
        "broker": _timed(_broker),
    }
    checks["mail_queue"] = (
        _mail_queue() if checks["database"]["ok"] else {"ok": False, "skipped": True}
    )
    required = settings.READYZ_REQUIRED
    ready = all(check["ok"] for name, check in checks.items() if name in required)
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    headers = dict(NO_STORE)
    if not ready:
        headers["Retry-After"] = "30"
    return JsonResponse(body, status=200 if ready else 503, headers=headers)


def _timed(check) -> dict:
    start = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # any failure is "not ready"; the reason goes to the log only
        log.warning("readyz: %s failed: %s", check.__name__.strip("_"), exc)
        result = {"ok": False}
    result.setdefault("ok", True)
    result["ms"] = round((time.perf_counter() - start) * 1000, 1)
    return result


def _database() -> dict:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _cache() -> dict:
    return {"ok": resilient.reachable()}


def _broker() -> dict:
    url = settings.CELERY_BROKER_URL
    if settings.CELERY_TASK_ALWAYS_EAGER or url.startswith("memory://"):
        return {"skipped": True}  # tasks run in-process: there is no broker to reach
    if url.startswith(("redis://", "rediss://")):
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)
        try:
            return {"ok": bool(client.ping())}
        finally:
            client.close()
    from kombu import Connection

    with Connection(url, connect_timeout=TIMEOUT) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=TIMEOUT)
    return {}


def _mail_queue() -> dict:
    max_age = settings.READYZ_MAIL_QUEUE_MAX_AGE
    try:
        outbox = outbox_health()
    except Exception as exc:
        log.warning("readyz: mail queue failed: %s", exc)
        return {"ok": False}
    age = outbox["oldest_queued_seconds"]
    return {
        "ok": age <= max_age,
        "queued": outbox["queued"],
        "oldest_age_seconds": int(age),
        "max_age_seconds": max_age,
        "dead": outbox["dead"],  # reported; dead letters wait for a person, not a restart
    }
