"""The application the directory bench serves with gunicorn: the project's, with the
directory API's per-request response cache bypassed, so every API request computes its
answer (what a first request for a query costs). What the product precomputes per
directory version (the unfiltered counts, the landing page's results) stays."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.settings")
application = get_wsgi_application()


def _uncached(request, name, compute):
    return compute()


from partners import directory_cache  # noqa: E402 - after Django is set up

directory_cache.cached = _uncached
