"""The invitation in a real browser: the partner sends one with GDAP roles, the mail is
caught, the customer opens the link, approves a subset, accepts the agreement, sees the
partner highlighted, then removes its roles while the relationship stays."""

import re
import time

import pytest
from django.test import Client

from agreements.defaults import publish_default
from agreements.models import AgreementVersion
from relationships.models import DelegatedAdminRelationship, PartnerRelationship
from tests.partners.conftest import load_curated_lists, make_listing

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = "/tmp"


def sign_in(context, user, base_url):
    """Give the browser context a session of user (the sign-in form has its own test)."""
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def wait_for_mail(outbox, to, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in outbox:
            if to in message.to:
                return message
        time.sleep(0.1)
    raise AssertionError(f"no mail to {to}; outbox: {[m.to for m in outbox]}")


def test_partner_invites_customer_accepts_a_subset_and_removes_roles(
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
    # Transactional tests flush the data migrations' rows: put back what this flow reads.
    load_curated_lists()
    publish_default(AgreementVersion)
    settings.SITE_URL = live_server.url
    make_listing(
        "Contoso",
        tenant=partner_tenant,
        summary="Managed Microsoft 365 for mid-sized companies.",
        relationship_types=["gdap", "reseller"],
        lead_email="leads@contoso.example",
    )

    # The partner admin sends an invitation with GDAP roles.
    page = browser_page
    sign_in(page.context, partner_admin, live_server.url)
    page.goto(f"/t/{partner_tenant.pk}/")
    page.get_by_role("navigation", name="Tenant").get_by_role(
        "link", name="Invitations", exact=True
    ).click()
    page.get_by_role("link", name="Invite a customer").click()
    page.get_by_label("Email address", exact=True).fill(customer_admin.email)
    page.get_by_role("checkbox", name="Granular delegated admin (GDAP)").check()
    page.get_by_role("checkbox", name="Reseller").check()
    page.get_by_label("Message", exact=True).fill("Hello Fabrikam, as discussed.")
    page.get_by_label("Display name", exact=True).fill("Fabrikam helpdesk")
    page.get_by_label("Duration in days", exact=True).fill("90")
    page.get_by_label("Filter roles").fill("administrator")
    page.get_by_role("checkbox", name=re.compile(r"^Helpdesk Administrator\b")).check()
    page.get_by_role("checkbox", name=re.compile(r"^User Administrator\b")).check()
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url(re.compile(r"/partner/invitations/new/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Invitation sent"
    shown_link = page.locator("#approval-url").input_value()

    # The mail arrives with the same approval link.
    mail = wait_for_mail(mailoutbox, customer_admin.email)
    link = re.search(r"https?://\S+/invitations/[\w-]+/", mail.body).group(0)
    assert link == shown_link
    assert page.console_errors == []

    # The customer admin opens the link in a browser of their own.
    context = chromium_browser.new_context(base_url=live_server.url, locale="en-GB")
    customer_page = context.new_page()
    customer_page.set_default_timeout(15_000)
    errors = []
    customer_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        sign_in(context, customer_admin, live_server.url)
        customer_page.goto(link)
        heading = customer_page.get_by_role("heading", level=1)
        assert heading.inner_text() == "Accept agreement & authorize partner"
        assert "Hello Fabrikam, as discussed." in customer_page.locator("main").inner_text()
        customer_page.screenshot(path=f"{SCREENSHOTS}/invitation_landing.png", full_page=True)

        # Approve only Helpdesk Administrator, tick the agreement, accept.
        user_admin = customer_page.get_by_role("checkbox", name=re.compile(r"^User Administrator"))
        assert user_admin.is_checked()
        user_admin.uncheck()
        customer_page.get_by_role("checkbox", name=re.compile(r"^I have read and accept")).check()
        customer_page.get_by_role("button", name="Accept & authorize").click()
        customer_page.wait_for_url(
            re.compile(rf"/settings/partners/{partner_tenant.pk}/\?new={partner_tenant.pk}$")
        )

        # Partner relationships: Contoso highlighted with the approved role only.
        row = customer_page.locator("tr.is-new")
        assert "Contoso" in row.inner_text()
        assert "Helpdesk Administrator" in row.inner_text()
        assert "User Administrator" not in row.inner_text()
        assert "Contoso is now your partner" in customer_page.get_by_role("status").inner_text()

        # Open the details pane and remove the roles.
        row.get_by_role("link", name="Contoso").click()
        customer_page.wait_for_url(re.compile(rf"/settings/partners/{partner_tenant.pk}/$"))
        pane = customer_page.locator("#pane")
        assert pane.locator("#pane-title").inner_text() == "Contoso"
        customer_page.screenshot(
            path=f"{SCREENSHOTS}/partner_relationships_pane.png", full_page=True
        )
        pane.get_by_role("button", name="Remove roles").click()
        dialog = customer_page.locator("dialog.confirm[open]")
        assert dialog.get_by_role("heading").inner_text() == "Remove roles?"
        dialog.get_by_role("button", name="Yes").click()
        customer_page.wait_for_selector("text=no longer holds admin roles")

        table = customer_page.locator("table")
        assert "Contoso" in table.inner_text()
        assert "Helpdesk Administrator" not in table.inner_text()
        assert "holds no admin roles in your tenant" in pane.inner_text()
        assert errors == []
    finally:
        context.close()

    relationship = PartnerRelationship.objects.get(customer=customer, partner=partner_tenant)
    assert relationship.types == ["gdap", "reseller"]
    rel = DelegatedAdminRelationship.objects.get(partner=partner_tenant, customer=customer)
    assert rel.status == DelegatedAdminRelationship.Status.TERMINATED
    assert [r.name for r in rel.approved_roles.all()] == ["Helpdesk Administrator"]
