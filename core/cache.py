"""The cache is an accelerator, never a dependency.

`ResilientRedisCache` is the Redis cache (core.redis_client: Django's, with one client per
pool) that rides out a Redis outage: an operation that cannot reach Redis is answered by a
per-process local-memory cache instead, and the process stops trying Redis for
RETRY_SECONDS (no connect timeout on every request while it is down). DRF's throttles
and allauth's rate limits keep counting, per process; the directory asks `available()`
and computes its answers while Redis is away. A warning is logged when Redis goes away
(once per outage and process) and when it is back.

While Redis answers, each operation costs what RedisCache's costs: no extra round-trip.
"""

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.redis_client import RedisCache

log = logging.getLogger(__name__)

# What "Redis is unreachable" looks like (redis-py wraps socket errors in these).
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_SECONDS = 5.0

# Per process: when each Redis location may be tried again (0: it is up).
_down_until: dict[str, float] = {}
_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        # LocMemCache keeps its data per name in the process: every thread shares it.
        self._local = LocMemCache(
            f"liaison-fallback:{self._location}",
            {"KEY_PREFIX": params.get("KEY_PREFIX", ""), "OPTIONS": {"MAX_ENTRIES": 10_000}},
        )

    # Redis, or the local fallback -------------------------------------------------------

    def available(self) -> bool:
        """False while Redis is known to be down (the fallback answers instead)."""
        until = _down_until.get(self._location, 0.0)
        return not until or time.monotonic() >= until

    def ping(self) -> bool:
        """Ask Redis itself (for /readyz): True when it answers."""
        try:
            return bool(self._cache.get_client(write=False).ping())
        except UNREACHABLE:
            return False

    def _call(self, name, *args, **kwargs):
        if self.available():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except UNREACHABLE as exc:
                self._went_down(exc)
            else:
                if _down_until.get(self._location):
                    self._came_back()
                return result
        return getattr(self._local, name)(*args, **kwargs)

    def _went_down(self, exc) -> None:
        with _lock:
            first = not _down_until.get(self._location)
            _down_until[self._location] = time.monotonic() + RETRY_SECONDS
        if first:
            log.warning(
                "cache unavailable (%s): serving uncached, rate limits per process: %s",
                self._location_for_log(),
                exc,
            )

    def _came_back(self) -> None:
        with _lock:
            was_down = _down_until.pop(self._location, None)
        if was_down:
            log.warning("cache available again (%s)", self._location_for_log())

    def _location_for_log(self) -> str:
        # Never log a password from the URL.
        _, sep, tail = self._location.rpartition("@")
        return f"redis://***@{tail}" if sep else self._location

    # The cache API ----------------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        self._local.clear()
        return self._call("clear")


def available(alias: str = "default") -> bool:
    """Whether the cache is answering for itself (a local-memory cache always is)."""
    backend = caches[alias]
    return getattr(backend, "available", lambda: True)()


def reachable(alias: str = "default") -> bool:
    """Whether the cache's server answers now (for /readyz); local caches always do."""
    backend = caches[alias]
    ping = getattr(backend, "ping", None)
    return ping() if ping is not None else True
