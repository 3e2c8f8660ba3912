"""Industry partner in a real browser, and the agreement-only acceptance: the partner
invites for the industry partner type alone, the customer accepts the agreement and
authorises it, is told on the page and by mail, and both sides see the type with what it
unlocks; the partner's industry app then reaches the customer."""

import re

import pytest

from agreements.defaults import publish_default
from agreements.models import AgreementVersion
from relationships.models import PartnerRelationship
from tests.e2e.helpers import new_page, shoot, sign_in, wait_for_mail
from tests.partners.conftest import load_curated_lists, make_listing

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_industry_partner_invited_accepted_and_its_app_reaches_the_customer(
    browser_page,
    chromium_browser,
    live_server,
    settings,
    mailoutbox,
    customer,
    customer_admin,
    partner_tenant,
    partner_admin,
):
    load_curated_lists()
    publish_default(AgreementVersion)
    settings.SITE_URL = live_server.url
    make_listing(
        "Contoso",
        tenant=partner_tenant,
        summary="Clinical apps for hospitals.",
        relationship_types=["industry_partner", "isv"],
        lead_email="leads@contoso.example",
    )

    # The partner invites for the industry partner type only: no admin roles.
    page = browser_page
    sign_in(page.context, partner_admin, live_server.url)
    page.goto(f"/t/{partner_tenant.pk}/partner/invitations/new/")
    page.get_by_label("Email address", exact=True).fill(customer_admin.email)
    industry = page.get_by_role("checkbox", name="Industry partner")
    industry.check()
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Invitation sent"
    mail = wait_for_mail(mailoutbox, customer_admin.email)
    link = re.search(r"https?://\S+/invitations/[\w-]+/", mail.body).group(0)

    # The customer accepts the agreement and authorises the partner.
    errors = []
    customer_page = new_page(chromium_browser, live_server, customer_admin, errors=errors)
    try:
        customer_page.goto(link)
        main = customer_page.locator("main")
        assert "Industry partner" in main.inner_text()
        assert "its industry apps are visible to the tenant" in main.inner_text()
        customer_page.get_by_role("checkbox", name=re.compile(r"^I have read and accept")).check()
        customer_page.get_by_role("button", name="Accept & authorize").click()

        # The page moves on: the partner's details are open, and it says what happened.
        customer_page.wait_for_url(
            re.compile(rf"/settings/partners/{partner_tenant.pk}/\?new={partner_tenant.pk}$")
        )
        status = customer_page.get_by_role("status").inner_text()
        assert "Contoso is now your partner: Industry partner." in status
        assert "The customer agreement (version 1.0) is accepted for Fabrikam." in status
        pane = customer_page.locator("#pane")
        assert pane.locator("#pane-title").inner_text() == "Contoso"
        assert "Industry partner" in pane.inner_text()
        assert "Accepted" in pane.inner_text()  # the agreement
        shoot(customer_page, "customer-partner-authorised")

        # ... and by mail.
        confirmation = wait_for_mail(
            mailoutbox, customer_admin.email, subject_part="You authorised Contoso"
        )
        assert "Industry partner" in confirmation.body

        # The partner's side: the customer with the type, and where to work for it.
        page.goto(f"/t/{partner_tenant.pk}/partner/customers/")
        row = page.locator("tr", has_text="Fabrikam")
        assert "Industry partner" in row.inner_text()
        row.get_by_role("link", name="Industry apps").click()
        page.get_by_text("Submit an app").click()
        page.get_by_label("Name", exact=True).fill("Clinic scheduler")
        page.get_by_label("Version", exact=True).fill("2.4.0")
        page.get_by_label("Summary", exact=True).fill("Appointments for outpatient clinics.")
        page.get_by_label("Link", exact=True).fill("https://apps.example/clinic")
        page.get_by_role("button", name="Submit for approval").click()
        page.wait_for_selector("text=submitted to Fabrikam for approval")

        # The customer follows the pane's link to the partner's industry apps.
        pane.get_by_role("link", name="Industry apps of Contoso").click()
        customer_page.wait_for_url(re.compile(r"/industry-apps/\?partner="))
        assert "Clinic scheduler" in customer_page.locator("table").inner_text()
        assert errors == []
        assert page.console_errors == []
    finally:
        customer_page.context.close()

    relationship = PartnerRelationship.objects.get(customer=customer, partner=partner_tenant)
    assert relationship.types == ["industry_partner"]
