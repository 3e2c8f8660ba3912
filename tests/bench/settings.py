"""Settings of the server the benches measure: the project's, on the bench database, with
the bench's URLs (the floors beside the product), JSON the only renderer (as in production,
where DEBUG is off) and no rate limits unless BENCH_THROTTLE_ANON / BENCH_THROTTLE_USER
set them (the throughput bench keeps the production rates)."""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["*"]
DATABASES["default"]["NAME"] = os.environ["BENCH_DATABASE_NAME"]  # noqa: F405
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # The load generator stands for the clients behind one proxy (X-Forwarded-For).
    "NUM_PROXIES": 1,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("BENCH_THROTTLE_ANON") or None,
        "user": os.environ.get("BENCH_THROTTLE_USER") or None,
    },
}
