"""The foundation in a real browser: sign up, create a tenant, add a member with a role,
open their details pane, switch to German."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GERMAN_CATALOG = Path(django_settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / "django.po"
PASSWORD = "pw-Liaison-2026!"


@pytest.fixture
def verification_optional(settings):
    # Tests run with DEBUG off, where verification is mandatory; the scenario signs up
    # and goes straight on, as a developer does locally.
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"


def test_sign_up_create_tenant_add_member_and_switch_to_german(browser_page, verification_optional):
    page = browser_page

    # Sign up: the landing page leads there, then to creating a first tenant.
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Sign up").click()
    page.locator("input[name=email]").fill("founder@tailspin.example")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/t/new/$"))

    # Create a tenant: its creator lands on its home as Global Administrator.
    page.get_by_label("Organisation name").fill("Tailspin Toys")
    page.get_by_label("Country").select_option("DE")
    page.get_by_label("Primary domain").fill("tailspin.example")
    page.get_by_role("button", name="Create tenant").click()
    page.wait_for_url(re.compile(r"/t/[0-9a-f-]{36}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Tailspin Toys"
    assert page.get_by_role("main").get_by_text("Global Administrator").is_visible()

    # Add a member with a role, found through the role filter box.
    page.get_by_role("navigation", name="Tenant").get_by_role("link", name="Users").click()
    page.get_by_role("link", name="Add a user").click()
    page.get_by_label("Email address").fill("dana@tailspin.example")
    page.get_by_label("Display name").fill("Dana Scully")
    page.get_by_label("Filter roles").fill("user admin")
    page.get_by_role("checkbox", name=re.compile(r"^User Administrator\b")).check()
    page.get_by_role("button", name="Add user").click()
    page.wait_for_url(re.compile(r"/users/[0-9a-f-]{36}/$"))

    # The list shows the new member with the role; the pane is open on them.
    row = page.get_by_role("row").filter(has_text="dana@tailspin.example")
    assert "User Administrator" in row.inner_text()
    assert page.locator("#pane-title").inner_text() == "Dana Scully"
    assert "was added" in page.get_by_role("status").inner_text()

    # Selecting another row swaps the pane through htmx and pushes the URL.
    page.get_by_role("link", name="founder@tailspin.example").click()
    # (Locator waits, not wait_for_function: that evaluates a string, which the CSP forbids.)
    expect(page.locator("#pane-title")).to_have_text("founder")
    assert re.search(r"/users/[0-9a-f-]{36}/$", page.url)

    # The remove button opens the confirmation dialog; Cancel closes it.
    page.get_by_role("button", name="Remove from tenant").click()
    dialog = page.locator("dialog.confirm[open]")
    assert dialog.is_visible()
    dialog.get_by_role("button", name="Cancel").click()
    assert page.locator("dialog.confirm[open]").count() == 0

    # Switch to German: the page comes back in German.
    page.get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert page.get_by_role("button", name="Deutsch").get_attribute("aria-pressed") == "true"
    if GERMAN_CATALOG.exists():
        # Our own strings need locale/de (written in a later pass); checked once it exists.
        nav = page.get_by_role("navigation").filter(has=page.locator("a[aria-current=page]"))
        assert "Benutzer" in nav.inner_text()
    # Django and allauth bring their own German: the account pages show it already.
    page.goto("/accounts/password/change/")
    assert page.get_by_role("heading", name="Passwort ändern").is_visible()

    # No Content Security Policy violation (or other script error) on the way.
    assert page.console_errors == []
