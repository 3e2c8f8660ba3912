import uuid
from datetime import timedelta

import pytest

from agreements.defaults import publish_default
from agreements.models import AgreementVersion
from partners import invitations
from tests.e2e.test_invitation_flow import sign_in
from tests.partners.conftest import load_curated_lists, make_listing
from tests.relationships.conftest import HELPDESK, USER_ADMIN

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_shots(browser_page, live_server, customer, customer_admin, partner_tenant, partner_admin, plain_member, billing_admin):
    load_curated_lists()
    publish_default(AgreementVersion)
    make_listing("Contoso", tenant=partner_tenant, relationship_types=["gdap", "reseller", "advisor"])
    inv, raw = invitations.send_invitation(by=partner_admin, partner=partner_tenant, email="a@b.example", relationship_types=["gdap", "reseller"], gdap_request={"display_name": "x", "duration": timedelta(days=90), "role_ids": [uuid.UUID(HELPDESK), uuid.UUID(USER_ADMIN)], "auto_extend_duration": timedelta(0)})
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 1800})
    sign_in(page.context, customer_admin, live_server.url)
    page.goto(f"/invitations/{raw}/")
    page.get_by_role("button", name="Accept & authorize").click()
    page.screenshot(path="/tmp/landing_error.png", full_page=True)
    page.get_by_role("checkbox", name="I have read", exact=False).check()
    page.get_by_role("button", name="Accept & authorize").click()
    page.goto(f"/t/{customer.pk}/settings/partners/{partner_tenant.pk}/")
    page.screenshot(path="/tmp/pane_tall.png", full_page=True)
    page.goto(f"/t/{customer.pk}/settings/agreement/")
    page.screenshot(path="/tmp/agreement.png", full_page=True)
    sign_in(page.context, plain_member, live_server.url)
    inv, raw = invitations.send_invitation(by=partner_admin, partner=partner_tenant, email="a@b.example", relationship_types=["reseller"])
    page.goto(f"/invitations/{raw}/")
    page.screenshot(path="/tmp/cannot.png", full_page=True)
    sign_in(page.context, partner_admin, live_server.url)
    page.goto(f"/t/{partner_tenant.pk}/partner/invitations/new/")
    page.screenshot(path="/tmp/new.png", full_page=True)
    page.goto(f"/t/{partner_tenant.pk}/partner/invitations/")
    page.screenshot(path="/tmp/list.png", full_page=True)
    page.goto(f"/t/{partner_tenant.pk}/partner/customers/")
    page.get_by_role("link", name="End relationship types").click()
    page.screenshot(path="/tmp/customers.png", full_page=True)
    assert page.console_errors == []
