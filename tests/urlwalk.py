"""The API's endpoints as (route, pattern), each app's api_urls included."""

from django.urls import URLPattern

from config import api_urls


def api_endpoints(patterns=None, prefix=""):
    for pattern in api_urls.urlpatterns if patterns is None else patterns:
        if isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern
        else:
            yield from api_endpoints(pattern.url_patterns, prefix + str(pattern.pattern))
