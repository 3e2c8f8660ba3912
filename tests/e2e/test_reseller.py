"""A reseller buys for a customer in a real browser: refused with a clear message until
the customer accepts the agreement, then bought, changed and seen by the customer."""

import re

import pytest

from agreements.defaults import publish_default
from agreements.models import AgreementVersion
from billing import catalog
from billing.models import Product, Subscription
from relationships.models import PartnerRelationship
from tests.e2e.test_invitation_flow import sign_in

SCREENSHOTS = "/tmp"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reseller_buys_for_a_customer_after_it_accepts_the_agreement(
    browser_page,
    chromium_browser,
    live_server,
    customer,
    customer_admin,
    partner_tenant,
    partner_admin,
):
    # Transactional tests flush the data migrations' rows: put back what this flow reads.
    catalog.load(Product)
    publish_default(AgreementVersion)
    PartnerRelationship.objects.create(
        customer=customer, partner=partner_tenant, types=["reseller"]
    )
    partner_url = f"/t/{partner_tenant.pk}/partner/customers/{customer.pk}/subscriptions/"

    # The reseller opens the customer's subscriptions: no buying before the agreement.
    page = browser_page
    sign_in(page.context, partner_admin, live_server.url)
    page.goto(partner_url)
    assert page.get_by_role("heading", level=1).inner_text() == "Subscriptions of Fabrikam"
    assert (
        "The customer must accept the customer agreement first."
        in page.locator("main").inner_text()
    )
    assert page.get_by_role("button", name="Buy").count() == 0

    # The customer's admin accepts the agreement in a browser of their own.
    context = chromium_browser.new_context(base_url=live_server.url, locale="en-GB")
    customer_page = context.new_page()
    customer_page.set_default_timeout(15_000)
    try:
        sign_in(context, customer_admin, live_server.url)
        customer_page.goto(f"/t/{customer.pk}/settings/agreement/")
        customer_page.get_by_role("checkbox", name=re.compile(r"^I have read and accept")).check()
        customer_page.get_by_role("button", name="Accept").click()
        customer_page.wait_for_selector("text=the customer agreement is accepted")

        # Now the reseller buys 25 licences of Business Premium.
        page.reload()
        assert "must accept the customer agreement" not in page.locator("main").inner_text()
        page.get_by_label("Product").select_option(value=str(catalog.product_id("M365-BP-M")))
        page.get_by_label("Quantity", exact=True).fill("25")
        page.get_by_role("button", name="Buy").click()
        page.wait_for_selector("text=Bought 25 licences of Microsoft 365 Business Premium")
        row = page.get_by_role("row").filter(has_text="Microsoft 365 Business Premium")
        assert "through Contoso" in row.inner_text()
        assert row.get_by_label("Quantity of Microsoft 365 Business Premium").input_value() == "25"

        # ... and raises it to 30.
        row.get_by_label("Quantity of Microsoft 365 Business Premium").fill("30")
        row.get_by_role("button", name="Change").click()
        page.wait_for_selector("text=now has 30 licences")
        page.screenshot(path=f"{SCREENSHOTS}/reseller_customer_subscriptions.png", full_page=True)

        # The customer sees it on the billing page, bought through Contoso.
        customer_page.get_by_role("navigation", name="Tenant").get_by_role(
            "link", name="Billing"
        ).click()
        customer_page.wait_for_url(re.compile(r"/billing/$"))
        customer_row = customer_page.get_by_role("row").filter(
            has_text="Microsoft 365 Business Premium"
        )
        assert "through Contoso" in customer_row.inner_text()
        assert "30" in customer_row.inner_text()
        customer_row.get_by_role("link", name="Microsoft 365 Business Premium").click()
        customer_page.wait_for_url(re.compile(r"/billing/[0-9a-f-]{36}/$"))
        assert customer_page.locator("#pane-title").inner_text() == (
            "Microsoft 365 Business Premium"
        )
        customer_page.screenshot(path=f"{SCREENSHOTS}/billing_page.png", full_page=True)
        assert page.console_errors == []
    finally:
        context.close()

    subscription = Subscription.objects.get()
    assert (subscription.channel, subscription.partner_id, subscription.quantity) == (
        "reseller",
        partner_tenant.pk,
        30,
    )
