"""Bad input is a 4xx (issue 12, finding 9): NUL bytes, absurd durations, deep nesting and
huge bodies answer JSON 4xx on the API and a page error on pages, never a 500."""

import json
import os
from pathlib import Path

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def _json_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] and body["detail"]
    return body


@pytest.mark.parametrize(
    "path",
    [
        "support-requests?q=a%00b",
        "autopilot-devices?q=a%00b",
        "leads?q=a%00b",
        "invitations?status=pend%00ing",
        "audit-events?action=a%00b",
    ],
)
def test_nul_bytes_in_filters_are_a_400(api_as, customer, customer_admin, path):
    _json_error(api_as(customer_admin).get(f"/api/v1/tenants/{customer.pk}/{path}"), 400)


def test_nul_bytes_in_a_body_are_a_400(api_as, customer, customer_admin):
    response = api_as(customer_admin).post(
        f"/api/v1/tenants/{customer.pk}/security-groups", {"name": "a\x00b"}, format="json"
    )
    _json_error(response, 400)


@pytest.mark.parametrize("duration", ["P99999999999D", "P999999999999999999Y", "PT1e308S"])
def test_absurd_durations_are_a_400(api_as, partner_admin, partner_tenant, duration):
    from tests.partners.conftest import make_listing

    make_listing("Contoso", tenant=partner_tenant)
    body = {
        "display_name": "x",
        "duration": duration,
        "access_details": {
            "unified_roles": [{"role_definition_id": "729827e3-9c14-49f7-bb1b-9608f156bbb8"}]
        },
    }
    response = api_as(partner_admin).post(
        f"/api/v1/tenants/{partner_tenant.pk}/delegated-admin-relationships", body, format="json"
    )
    _json_error(response, 400)


def test_deeply_nested_json_is_a_400(api_as, customer, customer_admin):
    nested = "[" * 100_000 + "]" * 100_000
    response = api_as(customer_admin).post(
        f"/api/v1/tenants/{customer.pk}/security-groups",
        nested,
        content_type="application/json",
    )
    _json_error(response, 400)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=50_000)
def test_a_huge_api_body_is_a_json_413(api_as, customer, customer_admin):
    body = json.dumps({"name": "x" * 60_000})
    response = api_as(customer_admin).post(
        f"/api/v1/tenants/{customer.pk}/security-groups", body, content_type="application/json"
    )
    _json_error(response, 413)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=50_000)
def test_a_huge_form_post_gets_a_page_not_a_500(client_as, customer, customer_admin):
    response = client_as(customer_admin).post(f"/t/{customer.pk}/groups/", {"name": "x" * 60_000})
    assert response.status_code == 413
    assert "too large" in response.content.decode().lower()


def test_the_schema_and_docs_need_a_signed_in_user(api, customer_admin, api_as):
    assert api.get("/api/v1/schema/").status_code == 401
    assert api.get("/api/v1/docs/").status_code in (401, 403, 302)
    assert api_as(customer_admin).get("/api/v1/schema/").status_code == 200


@override_settings(API_DOCS_PUBLIC=True)
def test_a_setting_opens_the_schema(api):
    assert api.get("/api/v1/schema/").status_code == 200


def test_debug_is_off_unless_asked_for():
    import subprocess
    import sys

    code = (
        "import os; os.environ.pop('DEBUG', None); os.environ['SECRET_KEY'] = 'x' * 50;"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings';"
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={}
    )
    assert out.stdout.strip() == "False"


BASE_DIR = Path(__file__).resolve().parents[2]


def _without_debug_or_key(code: str):
    import subprocess
    import sys

    env = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=BASE_DIR
    )


def test_without_a_secret_key_and_debug_off_migrations_run_but_nothing_serves():
    checked = _without_debug_or_key(
        "import django; django.setup(); from django.core.management import call_command;"
        "call_command('makemigrations', '--check', '--dry-run')"
    )
    assert checked.returncode == 0, checked.stderr[-2000:]
    for server in ("config.wsgi", "config.asgi"):
        started = _without_debug_or_key(f"import {server}")
        assert started.returncode != 0
        assert "SECRET_KEY" in started.stderr
    signed = _without_debug_or_key(
        "import django; django.setup(); from django.core import signing; signing.dumps(1)"
    )
    assert "SECRET_KEY" in signed.stderr and signed.returncode != 0
