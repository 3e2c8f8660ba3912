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

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from rest_framework.test import APIClient

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
        from core.support import sync_support_agent_group
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
