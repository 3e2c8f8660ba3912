"""GDAP, partner side, in a real browser: create a request with the role picker (Global
Administrator switches auto-extend off), send it for approval and get the link; once the
customer approved, give a security group roles, then terminate through the dialog."""

import os
import re

import pytest
from django.db import transaction

from relationships.models import DelegatedAdminRelationship
from relationships.services import _steps
from tests.factories import SecurityGroupFactory
from tests.partners.conftest import make_listing

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LIAISON_SCREENSHOTS", "")  # a folder: save screenshots there
PASSWORD = "pw-Liaison-2026"  # tests.factories.UserFactory's


@pytest.fixture
def verification_optional(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/t/[0-9a-f-]{36}/$"))


def test_partner_requests_roles_assigns_a_group_and_terminates(
    browser_page,
    verification_optional,
    partner_tenant,
    partner_admin,
    partner_agent,
    customer,
    customer_admin,
):
    page = browser_page
    make_listing("Contoso", tenant=partner_tenant)  # only partners ask for roles
    group = SecurityGroupFactory(tenant=partner_tenant, name="Tier 1", members=[partner_agent])
    from relationships.models import PartnerRelationship

    PartnerRelationship.objects.create(partner=partner_tenant, customer=customer, types=["gdap"])
    sign_in(page, partner_admin.email)

    # The create form: quick duration, role filter, Global Administrator blocks auto-extend.
    page.get_by_role("navigation", name="Tenant").get_by_role(
        "link", name="GDAP relationships"
    ).click()
    page.get_by_role("link", name="New relationship").click()
    page.get_by_label("Display name").fill("Fabrikam helpdesk")
    page.get_by_label("Customer", exact=True).select_option(label="Fabrikam")
    page.get_by_role("button", name="90 days").click()
    assert page.get_by_label("Duration in days").input_value() == "90"
    auto_extend = page.get_by_label("Extend automatically by 180 days at the end")
    auto_extend.check()
    page.get_by_label("Filter roles").fill("global admin")
    page.get_by_role("checkbox", name=re.compile(r"^Global Administrator\b")).check()
    assert auto_extend.is_disabled()
    assert not auto_extend.is_checked()
    assert page.locator("#gdap-auto-extend-note").is_visible()
    page.get_by_role("checkbox", name=re.compile(r"^Global Administrator\b")).uncheck()
    assert auto_extend.is_enabled()
    page.get_by_label("Filter roles").fill("helpdesk")
    page.get_by_role("checkbox", name=re.compile(r"^Helpdesk Administrator\b")).check()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/gdap-form.png", full_page=True)
    page.get_by_role("button", name="Create relationship").click()
    page.wait_for_url(re.compile(r"/gdap/[0-9a-f-]{36}/$"))
    assert page.locator("#pane-title").inner_text() == "Fabrikam helpdesk"
    rel = DelegatedAdminRelationship.objects.get(partner=partner_tenant)
    assert rel.duration.days == 90

    # Send for approval: the link is shown once.
    page.get_by_role("button", name="Send for approval").click()
    link = page.get_by_role("textbox", name="Link").input_value()
    assert "/invitations/" in link
    rel.refresh_from_db()
    assert rel.status == "approval_pending"

    # The customer approves (its approval page belongs to the invitations work).
    with transaction.atomic():
        locked = DelegatedAdminRelationship.objects.select_for_update().get(pk=rel.pk)
        _steps.activate(by=customer_admin, customer=customer, rel=locked, approved_role_ids=None)

    # Assign the group: only approved roles are offered.
    page.get_by_role("link", name="Back to the relationship").click()
    assignments = page.locator("details.disclosure", has_text="Give a security group access")
    assert assignments.get_attribute("open") is not None  # none yet
    page.get_by_label("Security group").select_option(label="Tier 1")
    page.get_by_role("checkbox", name="Helpdesk Administrator").check()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/gdap-pane.png", full_page=True)
    page.get_by_role("button", name="Assign").click()
    assert "Access assigned" in page.get_by_role("status").inner_text()
    assert group.access_assignments.count() == 1

    # Terminate through the confirmation dialog.
    page.get_by_role("button", name="Terminate").click()
    dialog = page.locator("dialog#terminate-relationship")
    assert dialog.is_visible()
    dialog.get_by_role("button", name="Terminate").click()
    assert "is terminated" in page.get_by_role("status").inner_text()
    rel.refresh_from_db()
    assert rel.status == "terminated"
    assert page.console_errors == []
