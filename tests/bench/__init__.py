"""Benchmarks: `make bench` (or `python -m tests.bench [name ...]`).

Each `tests/bench/bench_<name>.py` exposes `run() -> list[str]`; the runner prints the lines.
`throwaway_db()` gives a benchmark a fresh, migrated test database that is dropped afterwards.
"""

from contextlib import contextmanager


@contextmanager
def throwaway_db():
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
