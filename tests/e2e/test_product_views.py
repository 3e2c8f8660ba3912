"""Partner Center's working views in a real browser: expiring relationships (tiles, select
many, auto-extend with progress, CSV), the activity log (sentences, filters, CSV),
housekeeping of invitations (age filter, cancel many, internal reference), invitations
the customer received, and the page an agent sees once delegated access has ended.

With LIAISON_SCREENSHOTS=docs/screenshots each view is saved at 1280 px in English and
German (tests/e2e/helpers.py)."""

import csv
import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from agreements.defaults import publish_default
from agreements.models import AgreementVersion
from relationships import services
from relationships.models import DelegatedAdminRelationship, Invitation
from support import services as support_services
from tests.e2e.helpers import new_page, shoot, sign_in
from tests.factories import TenantFactory
from tests.gdap_factories import DelegatedAdminRelationshipFactory, grant
from tests.partners.conftest import load_curated_lists, make_listing
from tests.relationships.conftest import ASSIGNABLE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Status = DelegatedAdminRelationship.Status


def relationship(partner, customer, name, *, days, roles=("Helpdesk Administrator",), **kw):
    rel = DelegatedAdminRelationshipFactory(
        partner=partner, customer=customer, display_name=name, roles=list(roles), **kw
    )
    rel.end_at = timezone.now() + timedelta(days=days)
    rel.activated_at = rel.end_at - rel.duration
    if rel.status in (Status.EXPIRED, Status.TERMINATED):
        rel.ended_at = rel.end_at
    rel.save()
    return rel


def read_download(download) -> list[dict]:
    with open(download.path(), encoding="utf-8-sig") as handle:
        return list(csv.DictReader(io.StringIO(handle.read())))


# Expiring relationships ---------------------------------------------------------------------


def test_partner_switches_auto_extend_on_many_with_progress_and_downloads_csv(
    browser_page,
    live_server,
    chromium_browser,
    partner_tenant,
    partner_admin,
    customer,
    customer_admin,
):
    tailspin = TenantFactory(name="Tailspin Toys")
    for i in range(22):
        relationship(
            partner_tenant, customer if i % 2 else tailspin, f"Helpdesk {i:02}", days=2 + i
        )
    relationship(
        partner_tenant, tailspin, "Tailspin global", days=12, roles=("Global Administrator",)
    )
    relationship(partner_tenant, customer, "Fabrikam devices", days=200)
    relationship(partner_tenant, customer, "Fabrikam old", days=-20, status=Status.EXPIRED)

    page = browser_page
    sign_in(page.context, partner_admin, live_server.url)
    page.goto(f"/t/{partner_tenant.pk}/")
    page.get_by_role("navigation", name="Tenant").get_by_role(
        "link", name="Expiring relationships"
    ).click()
    tiles = page.get_by_role("navigation", name="By end date")
    expect(tiles).to_contain_text("23 Ending within 30 days")
    expect(tiles).to_contain_text("1 Expired in the last year")
    tiles.get_by_role("link", name=re.compile("Ending within 30 days")).click()
    page.wait_for_url(re.compile(r"\?window=30d$"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(23)
    global_row = page.locator("tr", has_text="Tailspin global")
    expect(global_row).to_contain_text("cannot extend automatically")
    expect(global_row.get_by_role("checkbox")).to_have_count(0)
    shoot(page, "expiring-relationships-partner")

    # Select all, switch on: three chunks of ten, a progress bar, then the summary.
    page.get_by_label("Select all on this page").check()
    page.get_by_role("button", name="Switch auto-extend on").click()
    progress = page.locator("#bulk-progress")
    expect(progress).to_contain_text("Done: 22 switched on, 0 refused.", timeout=20_000)
    expect(progress.locator("progress")).to_have_attribute("value", "22")
    progress.get_by_role("link", name="Show the updated list").click()
    expect(page.locator("tr", has_text="Helpdesk 00")).to_contain_text("On")
    assert (
        DelegatedAdminRelationship.objects.filter(auto_extend_duration=timedelta(days=180)).count()
        == 22
    )

    # Search, then the CSV of what the list shows.
    page.get_by_label("Customer or relationship").fill("Tailspin")
    page.get_by_role("button", name="Filter").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    lines = read_download(download.value)
    assert {row["Customer"] for row in lines} == {"Tailspin Toys"}
    assert len(lines) == 12
    assert page.console_errors == []

    # The customer's side: its incoming relationships, the same tiles.
    customer_page = new_page(chromium_browser, live_server, customer_admin)
    try:
        customer_page.goto(f"/t/{customer.pk}/gdap/expiring/")
        expect(customer_page.get_by_role("navigation", name="By end date")).to_contain_text(
            "11 Ending within 30 days"
        )
        expect(customer_page.locator("table")).not_to_contain_text("Tailspin")
        shoot(customer_page, "expiring-relationships-customer")
    finally:
        customer_page.context.close()


# The activity log ----------------------------------------------------------------------------


def test_activity_log_reads_as_sentences_filters_and_exports(
    browser_page,
    live_server,
    partner_tenant,
    partner_admin,
    partner_agent,
    customer,
    customer_admin,
):
    load_curated_lists()
    publish_default(AgreementVersion)
    make_listing("Contoso", tenant=partner_tenant, relationship_types=ASSIGNABLE)
    _invitation, raw = services.send_invitation(
        by=partner_admin,
        partner=partner_tenant,
        email=customer_admin.email,
        relationship_types=["gdap", "reseller"],
        customer=customer,
        gdap_request={
            "display_name": "Fabrikam helpdesk",
            "duration": timedelta(days=90),
            "role_ids": [r.id for r in _roles("Helpdesk Administrator")],
            "auto_extend_duration": timedelta(0),
        },
    )
    services.accept_invitation(by=customer_admin, token=raw, tenant=customer, accept_agreement=True)
    grant(partner_tenant, customer, partner_agent, "Helpdesk Administrator")
    support_services.create_request(
        by=partner_agent, tenant=customer, title="Printer offline", description="Floor 2."
    )

    page = browser_page
    sign_in(page.context, customer_admin, live_server.url)
    page.goto(f"/t/{customer.pk}/audit/")
    table = page.locator("table.audit-table")
    expect(table).to_contain_text("Invited alice@fabrikam.example for Granular delegated admin")
    expect(table).to_contain_text("Accepted the invitation of Contoso and authorised it")
    row = page.locator("tr", has_text="Opened the support request")
    expect(row).to_contain_text("agent@contoso.example")
    expect(row).to_contain_text("technician of Contoso")
    expect(row).to_contain_text("Fabrikam")
    assert "{'" not in table.inner_text() and "invitation.sent" not in table.inner_text()
    page.locator("tr", has_text="Approved admin roles").get_by_text("Details").click()
    expect(page.locator("tr", has_text="Approved admin roles")).to_contain_text(
        "Helpdesk Administrator"
    )
    shoot(page, "audit-log")

    # Filter by who did it, then download what the filter shows.
    page.get_by_label("Who").select_option("agent@contoso.example")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table.audit-table tbody tr")).to_have_count(1)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    (line,) = read_download(download.value)
    assert line["Organisation"] == "Contoso" and line["Partner technician"] == "yes"

    # From the relationship to its history.
    page.goto(f"/t/{customer.pk}/settings/partners/{partner_tenant.pk}/")
    page.get_by_role("link", name="The full history in the audit log").click()
    expect(
        page.get_by_text("Showing the history of the relationship with Contoso.")
    ).to_be_visible()
    expect(page.locator("table.audit-table")).to_contain_text("Printer offline")
    assert page.console_errors == []


def _roles(*names):
    from roles.models import RoleDefinition

    return list(RoleDefinition.objects.filter(name__in=names))


# Housekeeping and invitations received ---------------------------------------------------------


def test_partner_cleans_up_old_invitations_and_the_customer_sees_them_all(
    browser_page,
    live_server,
    chromium_browser,
    partner_tenant,
    partner_admin,
    customer,
    customer_admin,
):
    load_curated_lists()
    make_listing("Contoso", tenant=partner_tenant, relationship_types=ASSIGNABLE)
    with time_machine.travel(timezone.now() - timedelta(days=45), tick=False):
        old = [
            services.send_invitation(
                by=partner_admin,
                partner=partner_tenant,
                email=email,
                relationship_types=["reseller"],
            )[0]
            for email in (customer_admin.email, "old-1@example.com", "old-2@example.com")
        ]
    fresh, _raw = services.send_invitation(
        by=partner_admin,
        partner=partner_tenant,
        email="new@example.com",
        relationship_types=["isv"],
    )
    declined, raw = services.send_invitation(
        by=partner_admin,
        partner=partner_tenant,
        email=customer_admin.email,
        relationship_types=["isv"],
    )
    services.decline_invitation(by=customer_admin, token=raw, tenant=customer)

    page = browser_page
    sign_in(page.context, partner_admin, live_server.url)
    page.goto(f"/t/{partner_tenant.pk}/partner/invitations/")
    page.get_by_label("Status").select_option("pending")
    page.get_by_label("Last sent").select_option("30")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table tbody tr")).to_have_count(3)
    expect(page.locator("table")).to_contain_text("by pat@contoso.example")

    # A reference note on one, then cancel two of the three.
    first = page.locator("tr", has_text="old-1@example.com")
    first.get_by_text("Edit").click()
    first.get_by_label("Internal reference").fill("CRM-4711")
    first.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Internal reference saved")
    shoot(page, "partner-invitations")
    page.get_by_label("Select the invitation to old-1@example.com").check()
    page.get_by_label("Select the invitation to old-2@example.com").check()
    page.get_by_role("button", name="Cancel the ticked invitations").click()
    dialog = page.locator("dialog.confirm[open]")
    dialog.get_by_role("button", name="Cancel invitations").click()
    expect(page.get_by_role("status")).to_contain_text("2 invitations cancelled")
    expect(page.locator("table tbody tr")).to_have_count(1)  # the filter stays
    statuses = dict(Invitation.objects.values_list("email", "status"))
    assert statuses["old-1@example.com"] == statuses["old-2@example.com"] == "cancelled"
    assert Invitation.objects.get(pk=fresh.pk).status == "pending"
    assert Invitation.objects.get(pk=old[1].pk).reference == "CRM-4711"

    # The customer: invitations sent to its admin's address, even without its tenant named.
    customer_page = new_page(chromium_browser, live_server, customer_admin)
    try:
        customer_page.goto(f"/t/{customer.pk}/settings/invitations/")
        table = customer_page.locator("table")
        expect(table.locator("tbody tr")).to_have_count(2)
        expect(customer_page.locator("tr", has_text="Declined")).to_contain_text("on")
        expect(table).to_contain_text("Pending")
        assert declined.pk
        shoot(customer_page, "invitations-received")
    finally:
        customer_page.context.close()


# Delegated access ended ----------------------------------------------------------------------


def test_agent_is_told_when_delegated_access_ended(
    browser_page, live_server, partner_tenant, partner_agent, customer, customer_admin
):
    assignment = grant(
        partner_tenant, customer, partner_agent, "Helpdesk Administrator", display_name="Helpdesk"
    )
    page = browser_page
    sign_in(page.context, partner_agent, live_server.url)
    page.goto(f"/t/{customer.pk}/users/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")

    services.terminate_relationship(
        by=customer_admin, tenant=customer, relationship_id=assignment.relationship_id
    )
    page.reload()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your delegated access to Fabrikam has ended"
    )
    expect(page.locator("main")).to_contain_text("“Helpdesk” with Fabrikam was terminated on")
    shoot(page, "access-ended")
    page.get_by_role("link", name="Go to Contoso").click()
    page.wait_for_url(re.compile(rf"/t/{partner_tenant.pk}/$"))
