"""The application the directory and lists benches serve with gunicorn: the project's as
deployed (config.wsgi), with the directory API's per-request response cache bypassed, so
every API request computes its answer (what a first request for a query costs). What the
product precomputes per directory version (the unfiltered counts, the landing page's
results) stays."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.settings")

from config.wsgi import application  # noqa: F401 - the product's, as deployed
from partners import directory_cache


def _uncached(request, name, compute):
    return compute()


directory_cache.cached = _uncached
