"""The API's throttles: DRF's AnonRateThrottle and UserRateThrottle, at one cache round
trip per request.

DRF keeps each caller's request times as a pickled list: a read, then a write, per
throttle, and its UserRateThrottle counts anonymous callers (by address) beside the anon
throttle that counts them too: four round trips per anonymous request where one decides.

- On Redis, the list is a sorted set of request times, trimmed, extended and counted in
  one MULTI/EXEC pipeline; a request over the limit takes its own entry back (a second
  round trip, for refused requests only). The limits, the sliding window and Retry-After
  are DRF's; the count is exact under concurrency too (DRF's read-then-write can lose a
  request between two workers). On any other cache, or when Redis fails, DRF's code runs.
- When the anon throttle applies to the view and its limit already binds harder (no more
  requests in a window at least as long), the user throttle leaves anonymous callers to
  it; in every other case it counts them as DRF's does.
"""

import logging
import math
import uuid

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework import throttling

log = logging.getLogger(__name__)


class RedisSlidingLog:
    """For a SimpleRateThrottle: its request log as a Redis sorted set, when the cache is
    Redis (and, for a cache that knows, up)."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        client = _redis_client(self.cache)
        if client is None:
            return super().allow_request(request, view)
        self.now = self.timer()
        key = self._backend.make_key(f"{self.key}:log")
        member = f"{self.now!r}:{uuid.uuid4().hex[:12]}"
        try:
            pipe = client.pipeline()
            pipe.zremrangebyscore(key, "-inf", self.now - self.duration)
            pipe.zadd(key, {member: self.now})
            pipe.zcard(key)
            pipe.expire(key, math.ceil(self.duration))
            count = pipe.execute()[2]
            if count <= self.num_requests:
                return True
            pipe = client.pipeline()
            pipe.zrem(key, member)
            pipe.zrevrange(key, 0, -1, withscores=True)
            self.history = [score for _member, score in pipe.execute()[1]]
        except Exception:  # Redis failed: DRF's way, through the cache (and its fallback)
            log.warning("throttle log unavailable", exc_info=True)
            return super().allow_request(request, view)
        return self.throttle_failure()

    @property
    def _backend(self):
        return caches["default"] if self.cache is throttling.default_cache else self.cache


def _redis_client(cache):
    backend = caches["default"] if cache is throttling.default_cache else cache
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
