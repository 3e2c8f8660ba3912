"""A versioned cache for the public directory.

The directory is read far more than it changes, and a search with facet counts over a
large catalogue costs tens of milliseconds. Responses are cached per normalised URL and
language, rendered (the JSON bytes), with the version number they were computed under;
every change to what the directory shows (a profile saved, certified or revoked, a curated
list edited) bumps the version on commit, and an entry of another version is never served,
so no stale answer outlives the change that made it. Entries also expire after
CACHE_SECONDS. What depends on the whole directory rather than on a request (the
unfiltered total and facet counts, the landing page's results) is kept per version
(`per_version`). A lookup is one round trip: the version and the entry in one `get_many`.

The cache is an accelerator: when it fails (or core.cache knows Redis is down), every
answer is computed.
"""

import hashlib
import logging
import time

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation

from core import cache as resilient
from core.rendered import render, respond

VERSION_KEY = "directory:version"
CACHE_SECONDS = 300

log = logging.getLogger(__name__)


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        # Start from the clock: after an eviction the new version never meets old entries.
        cache.add(VERSION_KEY, time.time_ns() // 1000, timeout=None)
        current = cache.get(VERSION_KEY)
    return current


def bump() -> None:
    """Invalidate every cached directory answer: now, and again once the change commits
    (a reader between the two could have cached the state before the commit)."""
    _incr()
    transaction.on_commit(_incr)


def _incr() -> None:
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # not set yet (or evicted): a clock-based value invalidates
            cache.set(VERSION_KEY, time.time_ns() // 1000, timeout=None)
    except Exception:  # the cache is down: nothing is served from it either
        log.warning("directory cache unavailable", exc_info=True)


def key_for(request, name: str) -> str:
    """Cache key of a directory request: endpoint, language, scheme and host (the answer's
    links are absolute) and the query's parameters in sorted order. The raw query string's
    segments are sorted as they are (no parsing: the same parameters in another order or
    repeated values in another order give the same key; another spelling of a value only
    misses the cache)."""
    known = request.__dict__.setdefault("_directory_cache_keys", {})
    if name not in known:
        raw_query = request.META.get("QUERY_STRING", "")
        query = "&".join(sorted(raw_query.split("&"))) if raw_query else ""
        raw = f"{request.scheme}://{request.get_host()}?{query}"
        digest = hashlib.sha256(raw.encode(errors="surrogatepass")).hexdigest()[:32]
        known[name] = f"directory:{translation.get_language()}:{name}:{digest}"
    return known[name]


def prefetch_keys(request, name: str) -> list[str]:
    """What cached() reads for this request: a view hands these to the throttle, which
    fetches them in its own round trip (core.throttling)."""
    return [VERSION_KEY, key_for(request, name)]


def cached(request, name: str, compute):
    """The cached body for this request, or compute() stored for next time."""
    prefetched = getattr(request, "cache_prefetched", None)
    return _through(lambda: key_for(request, name), compute, CACHE_SECONDS, prefetched)


def response(request, name: str, compute) -> HttpResponse:
    """The API's answer to a directory request: its JSON from the cache, or compute()'s
    data rendered (and stored for next time)."""
    return respond(request, cached(request, name, lambda: render(compute())))


def per_version(name: str, compute):
    """A value derived from the whole directory, computed once per directory version (and
    at least every CACHE_SECONDS, so a deploy's new templates show within minutes)."""
    return _through(lambda: f"directory:{name}", compute, CACHE_SECONDS)


def _through(key, compute, timeout: int, prefetched: dict | None = None):
    if not resilient.available():  # Redis is down: answer uncached, no stale process copy
        return compute()
    try:
        key = key()
        if prefetched is not None and key in prefetched:
            found = prefetched
        else:
            found = cache.get_many([VERSION_KEY, key])
        current = found.get(VERSION_KEY)
        if current is None:
            current = version()
        entry = found.get(key)
    except Exception:  # any cache failure: answer without it
        log.warning("directory cache unavailable", exc_info=True)
        return compute()
    if entry is not None and entry[0] == current:
        return entry[1]
    value = compute()
    try:
        # Stamped with the version read before computing: if the directory changed
        # meanwhile, the entry is already out of date and the next request recomputes.
        cache.set(key, (current, value), timeout)
    except Exception:
        log.warning("directory cache unavailable", exc_info=True)
    return value
