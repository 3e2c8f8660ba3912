"""Pages outside and at the root of a tenant: landing, create tenant, tenant home, language,
the layout itself and allauth's pages inside it."""

import re
import uuid

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from audit.models import AuditEvent
from roles.permissions import GLOBAL_ADMIN_ID
from tenants.models import Membership, Tenant
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def test_signed_out_home_is_the_landing_page(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("account_signup") in body
    assert reverse("account_login") in body


def test_signed_in_home_opens_the_first_tenant(client_as, customer, customer_admin):
    response = client_as(customer_admin).get("/")
    assert response.status_code == 302
    assert response.url == reverse("tenant_home", args=[customer.pk])


def test_user_without_tenant_is_sent_to_create_one(client_as):
    response = client_as(UserFactory()).get("/")
    assert response.status_code == 302
    assert response.url == reverse("tenant_create")


def test_create_tenant_needs_sign_in(client):
    response = client.get(reverse("tenant_create"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_create_tenant_form_renders(client_as):
    response = client_as(UserFactory()).get(reverse("tenant_create"))
    assert response.status_code == 200
    assert 'name="country"' in response.content.decode()


def test_user_creates_tenant_and_becomes_its_global_admin(client_as):
    user = UserFactory()
    response = client_as(user).post(
        reverse("tenant_create"),
        {"name": "Tailspin Toys", "country": "DE", "domain": "Tailspin.example"},
    )
    assert response.status_code == 302
    tenant = Tenant.objects.get(name="Tailspin Toys")
    assert response.url == reverse("tenant_home", args=[tenant.pk])
    assert tenant.primary_domain == "tailspin.example"
    membership = Membership.objects.get(user=user, tenant=tenant)
    assert list(membership.roles.values_list("id", flat=True)) == [GLOBAL_ADMIN_ID]
    assert AuditEvent.objects.filter(action="tenant.created").count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "country": "DE"},
        {"name": "No Country", "country": ""},
        {"name": "Bad Country", "country": "XX"},
        {"name": "x" * 300, "country": "DE"},
    ],
)
def test_create_tenant_with_bad_input_shows_form_errors(client_as, data):
    response = client_as(UserFactory()).post(reverse("tenant_create"), data)
    assert response.status_code == 400
    assert "errors" in response.content.decode()
    assert not Tenant.objects.exists()
    assert not AuditEvent.objects.exists()


def test_global_admin_sees_roles_permissions_and_links(client_as, customer, customer_admin):
    response = client_as(customer_admin).get(reverse("tenant_home", args=[customer.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Global Administrator" in body
    assert "Read the audit log" in body
    assert reverse("tenant_users", args=[customer.pk]) in body
    assert reverse("tenant_audit", args=[customer.pk]) in body
    assert 'aria-current="page"' in body


def test_plain_member_home_shows_no_admin_pages(client_as, customer, plain_member):
    response = client_as(plain_member).get(reverse("tenant_home", args=[customer.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("tenant_users", args=[customer.pk]) not in body
    assert reverse("tenant_audit", args=[customer.pk]) not in body


def test_outsider_admin_gets_404_on_customer_home(client_as, customer, outsider_admin):
    response = client_as(outsider_admin).get(reverse("tenant_home", args=[customer.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("tid", ["not-a-uuid", str(uuid.uuid4())])
def test_unknown_tenant_answers_404(client_as, customer_admin, tid):
    response = client_as(customer_admin).get(f"/t/{tid}/")
    assert response.status_code == 404


def test_signed_out_tenant_home_redirects_to_login(client, customer):
    url = reverse("tenant_home", args=[customer.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_switcher_lists_every_tenant_of_the_user(client_as, customer, outsider, customer_admin):
    member(outsider, "Global Reader", email=customer_admin.email)
    response = client_as(customer_admin).get(reverse("tenant_home", args=[customer.pk]))
    body = response.content.decode()
    assert reverse("tenant_home", args=[outsider.pk]) in body
    assert "Northwind" in body
    assert reverse("tenant_create") in body


def test_language_switch_remembers_choice_and_sets_cookie(client_as, customer, customer_admin):
    client = client_as(customer_admin)
    home = reverse("tenant_home", args=[customer.pk])
    response = client.post(reverse("set_language"), {"language": "de", "next": home})
    assert response.status_code == 302
    assert response.url == home
    assert response.cookies["django_language"].value == "de"
    customer_admin.refresh_from_db()
    assert customer_admin.language == "de"
    assert AuditEvent.objects.filter(action="user.language_changed").count() == 1
    page = client.get(home)
    assert '<html lang="de">' in page.content.decode()


def test_language_switch_signed_out_sets_cookie_only(client):
    response = client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "de"
    assert not AuditEvent.objects.exists()


def test_language_switch_does_not_redirect_offsite(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response.url


def test_language_switch_ignores_unknown_language(client_as, customer_admin):
    response = client_as(customer_admin).post(reverse("set_language"), {"language": "xx"})
    assert response.status_code == 302
    customer_admin.refresh_from_db()
    assert customer_admin.language == ""


def test_language_switch_refuses_get(client):
    assert client.get(reverse("set_language")).status_code == 405


def test_pages_carry_no_inline_script_or_style(client_as, customer, customer_admin):
    body = (
        client_as(customer_admin).get(reverse("tenant_home", args=[customer.pk])).content.decode()
    )
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body) is None
    assert "style=" not in body
    assert "<style" not in body
    assert 'name="htmx-config"' in body
    assert "X-CSRFToken" in body


@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
)
def test_allauth_entrance_pages_use_our_layout(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="topbar"' in body
    assert "css/liaison.css" in body
    assert "style=" not in body


@pytest.mark.parametrize(
    "url_name",
    ["account_change_password", "mfa_index", "account_reauthenticate", "account_logout"],
)
def test_allauth_account_pages_use_our_layout(client_as, customer_admin, url_name):
    response = client_as(customer_admin).get(reverse(url_name))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="topbar"' in body
    assert customer_admin.email in body


def test_sign_out_is_a_post(client_as, customer_admin):
    client = client_as(customer_admin)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # the landing page again


def test_unknown_page_renders_our_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'class="topbar"' in response.content.decode()


def test_500_page_renders_without_request_or_database():
    html = render_to_string("500.html")
    assert "Liaison" in html
    assert "css/liaison.css" in html
