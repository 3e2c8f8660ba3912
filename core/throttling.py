"""The API's throttles: DRF's AnonRateThrottle and UserRateThrottle, at one cache round
trip per request.

DRF keeps each caller's request times as a pickled list: a read, then a write, per
throttle, and its UserRateThrottle counts anonymous callers (by address) beside the anon
throttle that counts them too: four round trips per anonymous request where one decides.

- On Redis, the list is a sorted set of request times, trimmed, counted and extended
  by one script (one round trip, atomic). The limits, the sliding window and Retry-After
  are DRF's; the count is exact under concurrency too (DRF's read-then-write can lose a
  request between two workers). On any other cache, or when Redis fails, DRF's code runs.
- When the anon throttle applies to the view and its limit already binds harder (no more
  requests in a window at least as long), the user throttle leaves anonymous callers to
  it; in every other case it counts them as DRF's does.
- A view may name cache keys it is about to read (`cache_prefetch(request)`): they come
  back in the throttle's round trip, as `request.cache_prefetched` (the directory's
  cached answers: one round trip for a whole anonymous request).
"""

import hashlib
import itertools
import logging
import math
import os
import uuid

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import NoScriptError
from rest_framework import throttling
from rest_framework.settings import api_settings

log = logging.getLogger(__name__)


# KEYS[1]: the log; ARGV: oldest time kept, now, this request's member, the limit, the
# log's lifetime. Nil when the request is allowed (and logged); when refused, the log's
# times, newest first (for Retry-After).
SLIDING_LOG = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  return redis.call('ZREVRANGE', KEYS[1], 0, -1, 'WITHSCORES')
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return nil
"""
# Redis names a script by its SHA-1 (EVALSHA): an identifier, not a security use.
SLIDING_LOG_SHA = hashlib.sha1(SLIDING_LOG.encode(), usedforsecurity=False).hexdigest()


class RedisSlidingLog:
    """For a SimpleRateThrottle: its request log as a Redis sorted set, when the cache is
    Redis (and, for a cache that knows, up)."""

    def get_ident(self, request):
        """DRF's, reading X-Forwarded-For from META (DRF reads request.headers, which
        builds an entry for every header of the request to read one)."""
        xff = request.META.get("HTTP_X_FORWARDED_FOR")
        remote_addr = request.META.get("REMOTE_ADDR")
        num_proxies = api_settings.NUM_PROXIES
        if num_proxies is not None:
            if num_proxies == 0 or xff is None:
                return remote_addr
            addrs = xff.split(",")
            return addrs[-min(num_proxies, len(addrs))].strip()
        return "".join(xff.split()) if xff else remote_addr

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        backend = caches["default"] if self.cache is throttling.default_cache else self.cache
        client = _redis_client(backend)
        if client is None:
            return super().allow_request(request, view)
        self.now = self.timer()
        args = [
            repr(self.now - self.duration),
            repr(self.now),
            f"{self.now!r}:{_member()}",
            self.num_requests,
            math.ceil(self.duration),
        ]
        hook = getattr(view, "cache_prefetch", None)
        prefetch = hook(request) if hook and not hasattr(request, "cache_prefetched") else []
        try:
            log_key = backend.make_key(f"{self.key}:log")
            refused, values = _run(client, backend, log_key, args, prefetch)
        except Exception:  # Redis failed: DRF's way, through the cache (and its fallback)
            log.warning("throttle log unavailable", exc_info=True)
            return super().allow_request(request, view)
        if prefetch:
            request.cache_prefetched = values
        if refused is None:
            return True
        self.history = [float(score) for score in refused[1::2]]
        return self.throttle_failure()


# A log member is the request's time and an id unique to it across hosts (a token drawn
# per process start), forked workers (the pid) and threads (a counter).
_HOST = uuid.uuid4().hex[:8]
_count = itertools.count()


def _member() -> str:
    return f"{_HOST}:{os.getpid()}:{next(_count)}"


def _run(client, backend, log_key, args, prefetch) -> tuple[list | None, dict]:
    """The sliding-log script, and a MGET of the view's prefetch keys in the same round
    trip: (the script's answer, {key: value or None})."""
    for attempt in (1, 2):
        pipe = client.pipeline(transaction=False)
        pipe.evalsha(SLIDING_LOG_SHA, 1, log_key, *args)
        if prefetch:
            pipe.mget([backend.make_key(key) for key in prefetch])
        results = pipe.execute(raise_on_error=False)
        if isinstance(results[0], NoScriptError) and attempt == 1:
            client.script_load(SLIDING_LOG)  # Redis restarted or flushed its scripts
            continue
        for result in results:
            if isinstance(result, Exception):
                raise result
        break
    loads = backend._cache._serializer.loads
    values = {}
    if prefetch:
        for key, value in zip(prefetch, results[1], strict=True):
            values[key] = None if value is None else loads(value)
    return results[0], values


def _redis_client(backend):
    if not isinstance(backend, RedisCache):
        return None
    if not getattr(backend, "available", lambda: True)():
        return None
    return backend._cache.get_client(write=True)


class AnonRateThrottle(RedisSlidingLog, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(RedisSlidingLog, throttling.UserRateThrottle):
    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated) and _anon_binds_harder(self, view):
            return None  # not throttled here: the anon throttle counts this caller
        return super().get_cache_key(request, view)


def _anon_binds_harder(throttle, view) -> bool:
    classes = getattr(view, "throttle_classes", ())
    anon = next((c for c in classes if issubclass(c, throttling.AnonRateThrottle)), None)
    if anon is None:
        return False
    rate = anon.THROTTLE_RATES.get(anon.scope)
    if rate is None:  # the anon throttle is off: this one is the only limit
        return False
    anon_requests, anon_duration = throttle.parse_rate(rate)
    return anon_requests <= throttle.num_requests and anon_duration >= throttle.duration
