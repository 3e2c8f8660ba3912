"""The application the throughput bench serves with gunicorn: the project's as deployed,
the directory API's response cache in place (tests.bench.wsgi bypasses it)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.settings")
application = get_wsgi_application()
