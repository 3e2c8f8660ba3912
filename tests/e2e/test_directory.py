"""The directory in a real browser: a customer searches, filters, opens a partner and
sends "Contact me"; the partner finds the lead in its inbox."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from partners.models import Lead
from tests.partners.conftest import load_curated_lists, make_listing

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, user, base_url):
    """Give the browser a session of user (the sign-in form has its own browser test)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def test_customer_finds_a_partner_and_the_partner_sees_the_lead(
    browser_page, chromium_browser, live_server, customer_admin, partner_admin, partner_tenant
):
    load_curated_lists()
    make_listing(
        "Contoso",
        tenant=partner_tenant,
        summary="Microsoft 365 migrations for healthcare.",
        hq="US",
        countries=["US", "DE"],
        industries=["healthcare"],
        products=["microsoft-365"],
        relationship_types=["gdap"],
        lead_email="leads@contoso.example",
    )
    make_listing("Contoso Lookalike", countries=["FR"], industries=["retail"])
    make_listing("Northwind Traders", countries=["DE"], industries=["retail"])

    page = browser_page
    sign_in(page, customer_admin, live_server.url)

    # Search: typing updates the results through htmx and the URL keeps the query.
    page.goto("/partners/")
    assert "3 partners found" in page.locator("#directory-total").inner_text()
    page.get_by_label("Search partners").fill("contoso")
    page.wait_for_url(re.compile(r"[?&]q=contoso"))
    expect(page.locator("#directory-total")).to_contain_text("2 partners")

    # Filter: ticking a country narrows the results; the facet counts stay visible.
    page.get_by_role("checkbox", name=re.compile(r"^United States of America")).check()
    page.wait_for_url(re.compile(r"country=US"))
    expect(page.locator("#directory-total")).to_contain_text("1 partner found")
    results = page.locator(".directory-results")
    assert "Contoso Lookalike" not in results.inner_text()

    # Open the partner and send "Contact me" (pre-filled from the user and tenant).
    results.get_by_role("link", name="Contoso").click()
    page.wait_for_url(re.compile(r"/partners/[0-9a-f-]{36}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Contoso"
    form = page.locator("#contact-box")
    assert form.get_by_label("Organisation name").input_value() == "Fabrikam"
    assert form.get_by_label("Email").input_value() == customer_admin.email
    form.get_by_label("Organisation size").select_option("51-250")
    form.get_by_label("Industry").select_option("healthcare")
    form.get_by_label("City").fill("Berlin")
    form.get_by_label("Business needs").fill("Move our mailboxes to Exchange Online.")
    form.get_by_role("button", name="Contact me").click()
    page.wait_for_selector("#contact-box .banner-ok")
    assert "Your request was sent to Contoso" in page.locator("#contact-box").inner_text()
    assert Lead.objects.filter(partner=partner_tenant).count() == 1
    # hx-sync="this:replace" aborts a search superseded by a newer one; htmx logs that.
    real_errors = [
        e for e in page.console_errors if "sendAbort" not in e and "afterRequest" not in e
    ]
    assert not real_errors

    # The partner signs in and finds the lead in its inbox.
    context = chromium_browser.new_context(base_url=live_server.url, locale="en-GB")
    try:
        partner_page = context.new_page()
        sign_in(partner_page, partner_admin, live_server.url)
        partner_page.goto(f"/t/{partner_tenant.pk}/")
        partner_page.get_by_role("navigation", name="Tenant").get_by_role(
            "link", name="Leads"
        ).click()
        partner_page.get_by_role("link", name="Fabrikam").click()
        partner_page.wait_for_selector("#pane .lead-needs")
        assert "Move our mailboxes" in partner_page.locator("#pane").inner_text()
        partner_page.get_by_role("button", name="Mark as contacted").click()
        partner_page.wait_for_url(re.compile(r"/leads/[0-9a-f-]{36}/$"))
        assert "now contacted" in partner_page.get_by_role("status").first.inner_text()
    finally:
        context.close()
