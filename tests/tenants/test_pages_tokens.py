"""The API tokens page: list, create (secret shown once), revoke."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from tenants import services
from tenants.models import ApiToken
from tenants.tokens import hash_token

pytestmark = pytest.mark.django_db

URL = "/profile/tokens/"


def revoke_url(token):
    return reverse("api_token_revoke", args=[token.pk])


def test_url_name():
    assert reverse("api_tokens") == URL


def test_signed_out_tokens_page_redirects_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_user_sees_own_tokens_with_status(client_as, customer_admin, billing_admin):
    active, _raw = services.create_api_token(by=customer_admin, name="CI deploy")
    revoked, _raw = services.create_api_token(by=customer_admin, name="Old laptop")
    services.revoke_api_token(by=customer_admin, token_id=revoked.pk)
    services.create_api_token(by=billing_admin, name="Someone else's")
    response = client_as(customer_admin).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "CI deploy" in body and active.prefix in body
    assert "Old laptop" in body and "Revoked" in body
    assert "Someone else" not in body


def test_expired_token_is_marked_expired(client_as, customer_admin):
    token, _raw = services.create_api_token(
        by=customer_admin, name="Short", expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    body = client_as(customer_admin).get(URL).content.decode()
    assert "Expired" in body


def test_user_creates_token_and_sees_it_once(client_as, customer_admin):
    client = client_as(customer_admin)
    day = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(URL, {"name": "Reporting script", "expires_on": day.isoformat()})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=customer_admin)
    assert token.name == "Reporting script"
    assert token.expires_at.date() == day
    raw = response.context["raw"]
    assert raw.startswith(token.prefix)
    assert raw in response.content.decode()
    assert hash_token(raw) == token.token_hash
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["api_token.created"]
    assert raw not in client.get(URL).content.decode()


def test_token_without_expiry(client_as, customer_admin):
    response = client_as(customer_admin).post(URL, {"name": "Forever"})
    assert response.status_code == 200
    assert ApiToken.objects.get(user=customer_admin).expires_at is None


@pytest.mark.parametrize(
    "data",
    [
        {"name": ""},
        {"name": "   "},
        {"name": "Past", "expires_on": "2020-01-01"},
        {"name": "Today", "expires_on": "today"},
        {"name": "x" * 101},
    ],
)
def test_create_token_with_bad_input_shows_form_error(client_as, customer_admin, data):
    response = client_as(customer_admin).post(URL, data)
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.exists()


def test_revoke_confirmation_page_renders(client_as, customer_admin):
    token, _raw = services.create_api_token(by=customer_admin, name="CI deploy")
    response = client_as(customer_admin).get(revoke_url(token))
    assert response.status_code == 200
    assert "CI deploy" in response.content.decode()


def test_user_revokes_token(client_as, customer_admin):
    token, _raw = services.create_api_token(by=customer_admin, name="CI deploy")
    before = AuditEvent.objects.count()
    response = client_as(customer_admin).post(revoke_url(token))
    assert response.status_code == 302
    assert response.url == URL
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_another_users_token_answers_404(client_as, customer_admin, billing_admin):
    token, _raw = services.create_api_token(by=billing_admin, name="Bob's")
    client = client_as(customer_admin)
    assert client.get(revoke_url(token)).status_code == 404
    assert client.post(revoke_url(token)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.get(f"/profile/tokens/{uuid.uuid4()}/revoke/").status_code == 404


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_tokens_page_runs_constant_queries(
    client_as, customer_admin, django_assert_max_num_queries
):
    services.create_api_token(by=customer_admin, name="one")
    client = client_as(customer_admin)
    client.get(URL)
    few = _count_queries(client, URL)
    for n in range(20):
        services.create_api_token(by=customer_admin, name=f"token {n}")
    many = _count_queries(client, URL)
    assert few == many
    with django_assert_max_num_queries(few):
        client.get(URL)
