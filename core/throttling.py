"""The API's throttles: DRF's AnonRateThrottle and UserRateThrottle, without a redundant
cache round trip.

DRF's UserRateThrottle also counts anonymous callers (by address), beside the anon
throttle that counts them too: two read-and-write round trips to the cache per anonymous
request where one decides. When the anon throttle applies to the view and its limit
already binds harder (no more requests in a window at least as long), the user throttle
leaves anonymous callers to it; in every other case it is DRF's.
"""

from rest_framework import throttling


class UserRateThrottle(throttling.UserRateThrottle):
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
