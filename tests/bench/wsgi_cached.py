"""The application the throughput bench serves with gunicorn: the project's as deployed
(config.wsgi), the directory API's response cache in place (tests.bench.wsgi bypasses it)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.settings")

from config.wsgi import application  # noqa: F401 - the product's, as deployed
