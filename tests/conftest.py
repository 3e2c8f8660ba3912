"""Personas and shared fixtures.

Customer "Fabrikam": its Global Administrator, its Billing Administrator, a plain member.
Partner "Contoso": a partner admin (Global Administrator there) and a partner agent.
Outsider "Northwind": its admin, who must never see the others' data.

Tests that need PostgreSQL, Redis, a Celery worker or the browser skip when those are
missing, unless LIAISON_REQUIRE_SERVICES / LIAISON_REQUIRE_BROWSER is set (CI), where
they fail instead.
"""

import os
import socket
import subprocess

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db.backends.signals import connection_created
from rest_framework.test import APIClient

from tests.api_world import fuzz_world  # noqa: F401 (the API's fixed-id world, a fixture)
from tests.factories import TenantFactory, member

REQUIRE_SERVICES = os.environ.get("LIAISON_REQUIRE_SERVICES") == "1"
REQUIRE_BROWSER = os.environ.get("LIAISON_REQUIRE_BROWSER") == "1"


def missing(reason: str, *, required: bool) -> None:
    """Skip the test, or fail it when CI says the thing must be there."""
    if required:
        pytest.fail(f"required but missing: {reason}")
    pytest.skip(reason)


def redis_reachable(url: str) -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), 1):
            return True
    except OSError:
        return False


def _mark_test_database(sender, connection, **kwargs):
    """Test databases are disposable: the audit table's TRUNCATE guard lets the test runner
    empty it between transactional tests (audit/migrations/0003)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET liaison.test_database = 'on'")


connection_created.connect(_mark_test_database, dispatch_uid="liaison_test_database")


@pytest.fixture
def postgres(db):
    """The test runs on PostgreSQL (DATABASE_URL), or is skipped / failed."""
    from django.db import connection

    if connection.vendor != "postgresql":
        missing("needs PostgreSQL (set DATABASE_URL)", required=REQUIRE_SERVICES)
    return connection


@pytest.fixture
def redis_broker():
    """The Redis broker URL, when CELERY_BROKER_URL points at a reachable Redis."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis") or not redis_reachable(url):
        missing("needs Redis (set CELERY_BROKER_URL)", required=REQUIRE_SERVICES)
    return url


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from config.celery_app import app

    app.conf.task_always_eager = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _catalog(request):
    """Transactional tests flush the database; put the role catalog back for them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        from portal.support_agents import sync_support_agent_group
        from roles import catalog
        from roles.models import RoleDefinition

        if not RoleDefinition.objects.exists():
            catalog.load(RoleDefinition)
            sync_support_agent_group()
        catalog.clear_cache()


# Personas --------------------------------------------------------------------------------


@pytest.fixture
def customer(db):
    return TenantFactory(name="Fabrikam", slug="fabrikam", country="DE")


@pytest.fixture
def customer_admin(customer):
    return member(customer, "Global Administrator", email="alice@fabrikam.example")


@pytest.fixture
def billing_admin(customer):
    return member(customer, "Billing Administrator", email="bob@fabrikam.example")


@pytest.fixture
def plain_member(customer):
    return member(customer, email="carol@fabrikam.example")


@pytest.fixture
def partner_tenant(db):
    return TenantFactory(name="Contoso", slug="contoso", country="US")


@pytest.fixture
def partner_admin(partner_tenant):
    return member(partner_tenant, "Global Administrator", email="pat@contoso.example")


@pytest.fixture
def partner_agent(partner_tenant):
    return member(partner_tenant, email="agent@contoso.example")


@pytest.fixture
def outsider(db):
    return TenantFactory(name="Northwind", slug="northwind", country="GB")


@pytest.fixture
def outsider_admin(outsider):
    return member(outsider, "Global Administrator", email="olga@northwind.example")


@pytest.fixture
def api():
    """An API client; `api.force_login(user)` signs in through the session."""
    return APIClient()


@pytest.fixture
def api_as(api):
    def sign_in(user):
        api.force_login(user)
        return api

    return sign_in


@pytest.fixture
def client_as(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def site_url():
    return django_settings.SITE_URL


# Real services ---------------------------------------------------------------------------


@pytest.fixture
def postgres_transactional(transactional_db):
    """Like `postgres`, for tests that commit (transactional_db): PostgreSQL or skip/fail."""
    from django.db import connection

    if connection.vendor != "postgresql":
        missing("needs PostgreSQL (set DATABASE_URL)", required=REQUIRE_SERVICES)
    return connection


def use_broker(url: str) -> None:
    """Point the in-process Celery app at url, dropping pooled connections to the old one."""
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    from kombu import pools

    from config.celery_app import app

    os.environ["CELERY_BROKER_URL"] = url
    app.conf.broker_url = url
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()  # kombu's process-wide producer pools still hold the closed connections


def _worker_broker_url(url: str) -> str:
    """The Redis URL on a database of its own, so parallel runs do not share a queue."""
    from urllib.parse import urlparse, urlunparse

    parsed = urlparse(url)
    return urlunparse(parsed._replace(path=f"/{10 + os.getpid() % 6}"))


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real Celery worker subprocess on the test database and a Redis broker of its own.

    Yields the broker URL; the test process publishes to it (see `celery_broker`).
    """
    import sys
    import time
    from pathlib import Path
    from urllib.parse import quote

    from django.db import connection

    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis") or not redis_reachable(url):
        missing("needs Redis (set CELERY_BROKER_URL)", required=REQUIRE_SERVICES)
    if connection.vendor != "postgresql":
        missing("needs PostgreSQL (set DATABASE_URL)", required=REQUIRE_SERVICES)
    broker = _worker_broker_url(url)
    import redis

    redis.Redis.from_url(broker).flushdb()
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    database_url = (
        f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": "consolemail://",
    }
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "config.celery_app",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                ",".join(django_settings.WORKER_QUEUES),
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while b"ready." not in log_path.read_bytes():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Celery worker did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield broker
    finally:
        stop_process(proc, log_path)


@pytest.fixture
def celery_broker(celery_worker):
    """The in-process Celery app publishes to the worker's broker for real (not eagerly)."""
    from config.celery_app import app

    old_env = os.environ.get("CELERY_BROKER_URL")
    old_url, old_eager = app.conf.broker_url, app.conf.task_always_eager
    app.conf.task_always_eager = False
    use_broker(celery_worker)
    yield celery_worker
    app.conf.task_always_eager = old_eager
    use_broker(old_url)
    if old_env is None:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ["CELERY_BROKER_URL"] = old_env


def stop_process(proc, log_path) -> None:
    """Stop a fixture's subprocess (terminate, then kill after 15 s) and print the tail of
    its log, which pytest shows when the test failed."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    print(log_path.read_text()[-3000:])
