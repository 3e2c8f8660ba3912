"""GDAP end to end, in real browsers, one per person: the partner admin creates a request
and sends it for approval; the customer admin approves a subset; the partner admin gives
a security group the approved role; a partner agent, a member of that group, resets a
password in the customer tenant (audited with the partner and the relationship); the
customer admin removes the partner's roles, and the agent's access ends at once."""

import re

import pytest
from playwright.sync_api import expect

from agreements.defaults import publish_default
from agreements.models import AgreementVersion
from audit.models import AuditEvent
from relationships.models import DelegatedAdminRelationship
from tests.factories import SecurityGroupFactory, member
from tests.partners.conftest import load_curated_lists, make_listing

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-Liaison-2026"  # tests.factories.UserFactory's
UUID = r"[0-9a-f-]{36}"


@pytest.fixture
def site(settings, live_server):
    # Sign-in goes straight on (verification is mandatory with DEBUG off); approval links
    # point at the live server.
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    settings.SITE_URL = live_server.url


def open_browser(browser, base_url, pages):
    """A page in a new browser context (no cookies), its console errors collected."""
    context = browser.new_context(base_url=base_url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    attach_console(page)
    pages.append(page)
    return page


def attach_console(page):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(rf"/t/{UUID}/$"))


def nav_link(page, name):
    return page.get_by_role("navigation", name="Tenant").get_by_role("link", name=name, exact=True)


def test_gdap_request_subset_approval_group_delegated_reset_and_remove_roles(
    browser_page,
    live_server,
    site,
    customer,
    customer_admin,
    partner_tenant,
    partner_admin,
    partner_agent,
):
    # Transactional tests flush the data migrations' rows: put back what this flow reads.
    load_curated_lists()
    publish_default(AgreementVersion)
    make_listing(
        "Contoso",
        tenant=partner_tenant,
        summary="Managed Microsoft 365 for mid-sized companies.",
        relationship_types=["gdap"],
        lead_email="leads@contoso.example",
    )
    group = SecurityGroupFactory(
        tenant=partner_tenant, name="Helpdesk agents", members=[partner_agent]
    )
    carol = member(customer, email="carol@fabrikam.example", display_name="Carol Jones")

    browser = browser_page.context.browser
    pages = [browser_page]
    contexts = []
    try:
        # 1. The partner admin creates the request: 90 days, two roles, no customer yet
        # (Fabrikam is not Contoso's customer before it approves: whoever approves chooses).
        partner = browser_page
        sign_in(partner, partner_admin.email)
        nav_link(partner, "GDAP relationships").click()
        partner.get_by_role("link", name="New relationship").click()
        partner.get_by_label("Display name").fill("Fabrikam helpdesk")
        customer_field = partner.get_by_label("Customer", exact=True)
        expect(customer_field.locator("option", has_text="Fabrikam")).to_have_count(0)
        customer_field.select_option(value="")
        partner.get_by_role("button", name="90 days").click()
        expect(partner.get_by_label("Duration in days")).to_have_value("90")
        partner.get_by_label("Filter roles").fill("administrator")
        partner.get_by_role("checkbox", name=re.compile(r"^Helpdesk Administrator\b")).check()
        partner.get_by_role("checkbox", name=re.compile(r"^User Administrator\b")).check()
        partner.get_by_role("button", name="Create relationship").click()
        partner.wait_for_url(re.compile(rf"/gdap/{UUID}/$"))
        expect(partner.locator("#pane-title")).to_have_text("Fabrikam helpdesk")
        rel = DelegatedAdminRelationship.objects.get(partner=partner_tenant)
        assert rel.duration.days == 90
        assert sorted(r.name for r in rel.requested_roles.all()) == [
            "Helpdesk Administrator",
            "User Administrator",
        ]

        # Send for approval: the link is shown this once.
        partner.get_by_role("button", name="Send for approval").click()
        expect(partner.get_by_role("heading", level=1)).to_have_text(
            "Fabrikam helpdesk is waiting for approval"
        )
        link = partner.get_by_role("textbox", name="Link").input_value()
        assert re.search(r"/invitations/[\w-]+/$", link), link

        # 2. The customer admin, in a browser of their own, approves Helpdesk only.
        client = open_browser(browser, live_server.url, pages)
        contexts.append(client.context)
        sign_in(client, customer_admin.email)
        client.goto(link)
        # Their only tenant is Fabrikam: the page does not ask which one.
        expect(client.get_by_role("heading", level=1)).to_have_text(
            "Accept agreement & authorize partner"
        )
        expect(client.get_by_text("Invitation for Fabrikam")).to_be_visible()
        helpdesk = client.get_by_role("checkbox", name=re.compile(r"^Helpdesk Administrator"))
        user_admin = client.get_by_role("checkbox", name=re.compile(r"^User Administrator"))
        expect(helpdesk).to_be_checked()
        expect(user_admin).to_be_checked()
        user_admin.uncheck()
        client.get_by_role("checkbox", name=re.compile(r"^I have read and accept")).check()
        client.get_by_role("button", name="Accept & authorize").click()
        client.wait_for_url(re.compile(rf"/t/{customer.pk}/settings/partners/[0-9a-f-]+/\?new="))
        expect(client.get_by_role("status")).to_contain_text("Contoso is now your partner")
        row = client.locator("tr.is-new")
        expect(row).to_contain_text("Contoso")
        expect(row).to_contain_text("Helpdesk Administrator")
        expect(row).not_to_contain_text("User Administrator")

        rel.refresh_from_db()
        assert rel.status == DelegatedAdminRelationship.Status.ACTIVE
        assert rel.customer_id == customer.pk
        assert [r.name for r in rel.approved_roles.all()] == ["Helpdesk Administrator"]

        # 3. The partner admin gives "Helpdesk agents" the approved role; only approved
        # roles are offered.
        partner.get_by_role("link", name="Back to the relationship").click()
        partner.wait_for_url(re.compile(rf"/gdap/{rel.pk}/$"))
        pane = partner.locator("#pane")
        expect(pane.locator("#pane-title")).to_have_text("Fabrikam helpdesk")
        assign_form = pane.locator("form", has=partner.get_by_role("button", name="Assign"))
        assign_form.get_by_label("Security group").select_option(label="Helpdesk agents")
        expect(assign_form.get_by_role("checkbox")).to_have_count(1)
        expect(assign_form.get_by_role("checkbox", name="User Administrator")).to_have_count(0)
        assign_form.get_by_role("checkbox", name="Helpdesk Administrator").check()
        assign_form.get_by_role("button", name="Assign").click()
        expect(partner.get_by_role("status")).to_contain_text("Access assigned")
        assignments = partner.locator("#pane table").filter(has_text="Helpdesk agents")
        expect(assignments).to_contain_text("Helpdesk Administrator")
        assert group.access_assignments.count() == 1

        # 4. The partner agent finds Fabrikam in the tenant switcher, as the partner.
        agent = open_browser(browser, live_server.url, pages)
        contexts.append(agent.context)
        sign_in(agent, partner_agent.email)
        switcher = agent.locator("details.switcher")
        switcher.locator("summary").click()
        fabrikam = switcher.get_by_role("link").filter(has_text="Fabrikam")
        expect(fabrikam).to_be_visible()
        expect(fabrikam).to_contain_text("Helpdesk Administrator")
        expect(fabrikam).to_contain_text("As partner, until")
        fabrikam.click()
        agent.wait_for_url(re.compile(rf"/t/{customer.pk}/$"))

        # Fabrikam's Users page, under the delegation banner.
        nav_link(agent, "Users").click()
        agent.wait_for_url(re.compile(rf"/t/{customer.pk}/users/$"))
        users_url = agent.url
        banner = agent.get_by_role("note").filter(has_text="You are working in Fabrikam")
        expect(banner).to_contain_text("as a member of Contoso")

        # Open Carol and reset her password through the confirmation dialog.
        agent.get_by_role("link", name="carol@fabrikam.example").click()
        expect(agent.locator("#pane-title")).to_have_text("Carol Jones")
        agent.locator("#pane").get_by_role("button", name="Reset password").click()
        dialog = agent.locator("dialog.confirm[open]")
        expect(dialog.get_by_role("heading")).to_have_text(
            "Reset the password of carol@fabrikam.example?"
        )
        dialog.get_by_role("button", name="Reset password").click()
        temporary_field = agent.locator("#temporary-password")
        expect(temporary_field).to_be_visible()
        temporary = temporary_field.input_value()
        assert temporary

        carol.refresh_from_db()
        assert carol.check_password(temporary)
        event = AuditEvent.objects.get(action="user.password_reset")
        assert event.actor_id == partner_agent.pk
        assert event.target_tenant_id == customer.pk
        assert event.acting_tenant_id == partner_tenant.pk
        assert event.relationship_id == rel.pk

        # 5. The customer admin removes Contoso's roles; the relationship stays.
        nav_link(client, "Partner relationships").click()
        client.wait_for_url(re.compile(rf"/t/{customer.pk}/settings/partners/$"))
        client.get_by_role("link", name="Contoso", exact=True).click()
        expect(client.locator("#pane-title")).to_have_text("Contoso")
        client.locator("#pane").get_by_role("button", name="Remove roles").click()
        dialog = client.locator("dialog.confirm[open]")
        expect(dialog.get_by_role("heading")).to_have_text("Remove roles?")
        dialog.get_by_role("button", name="Yes").click()
        expect(client.get_by_role("status")).to_contain_text(
            "Contoso no longer holds admin roles in your tenant."
        )
        contoso_row = client.locator("table tbody tr").filter(has_text="Contoso")
        expect(contoso_row).to_have_count(1)
        expect(contoso_row).not_to_contain_text("Helpdesk Administrator")
        expect(contoso_row).to_contain_text("None")
        expect(client.locator("#pane")).to_contain_text("holds no admin roles in your tenant")
        rel.refresh_from_db()
        assert rel.status == DelegatedAdminRelationship.Status.TERMINATED

        # No Content Security Policy violation (or other script error) on the way.
        for page in pages:
            assert page.console_errors == [], page.url

        # 6. The agent's access ended at once: the same Users page now says so (403; anyone
        # without such an ended grant still gets 404: tests/roles/test_access_ended.py).
        response = agent.goto(users_url)
        assert response is not None and response.status == 403
        expect(agent.get_by_role("heading", level=1)).to_have_text(
            "Your delegated access to Fabrikam has ended"
        )
    finally:
        for context in contexts:
            context.close()
