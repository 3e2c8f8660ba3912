"""Industry app pages: the customer's list and decision, the partner's page per customer."""

import pytest

from audit.models import AuditEvent
from industry.models import IndustryApp
from tests.factories import member
from tests.industry.test_api import APP, make_app

pytestmark = pytest.mark.django_db


def url(tenant, suffix=""):
    return f"/t/{tenant.pk}/industry-apps/{suffix}"


def partner_url(partner, customer):
    return f"/t/{partner.pk}/partner/customers/{customer.pk}/industry-apps/"


@pytest.fixture
def industry(customer, partner_tenant):
    from tests.devices.conftest import relate

    return relate(customer, partner_tenant, "industry_partner")


def test_customer_lists_and_approves_with_a_note(
    client_as, customer, customer_admin, partner_tenant
):
    app = make_app(customer, partner_tenant)
    client = client_as(customer_admin)

    listed = client.get(url(customer))
    pane = client.get(url(customer, f"{app.pk}/"), headers={"HX-Request": "true"})
    decided = client.post(url(customer, f"{app.pk}/approve/"), {"note": "Fine by IT."})

    assert listed.status_code == 200 and "Clinic scheduler" in listed.content.decode()
    assert f'href="{url(customer)}"' in listed.content.decode()  # the navigation item
    assert pane.status_code == 200 and "Approve" in pane.content.decode()
    assert decided.status_code == 302
    app.refresh_from_db()
    assert (app.status, app.decision_note) == ("approved", "Fine by IT.")
    assert AuditEvent.objects.get().action == "industry_app.approved"


def test_a_second_decision_reads_as_a_message(client_as, customer, customer_admin, partner_tenant):
    app = make_app(customer, partner_tenant, status="rejected")

    response = client_as(customer_admin).post(url(customer, f"{app.pk}/approve/"), follow=True)

    (message,) = response.context["messages"]
    assert message.level_tag == "error"  # the InvalidState sentence, shown as a message
    assert IndustryApp.objects.get().status == "rejected"


def test_a_reader_sees_but_cannot_decide(client_as, customer, partner_tenant):
    app = make_app(customer, partner_tenant)
    billing = member(customer, "Billing Administrator")
    client = client_as(billing)

    pane = client.get(url(customer, f"{app.pk}/"))
    post = client.post(url(customer, f"{app.pk}/reject/"))

    assert pane.status_code == 200 and "formaction" not in pane.content.decode()
    assert post.status_code == 403
    assert IndustryApp.objects.get().status == "submitted"


def test_plain_member_gets_403(client_as, customer, plain_member):
    assert client_as(plain_member).get(url(customer)).status_code == 403


def test_foreign_app_ids_are_404(client_as, customer, outsider, outsider_admin, partner_tenant):
    app = make_app(customer, partner_tenant)
    client = client_as(outsider_admin)

    assert client.get(url(outsider, f"{app.pk}/")).status_code == 404
    assert client.post(url(outsider, f"{app.pk}/approve/")).status_code == 404


def test_partner_submits_from_its_page(
    client_as, customer, customer_admin, industry, partner_tenant, partner_admin
):
    client = client_as(partner_admin)

    page = client.get(partner_url(partner_tenant, customer))
    sent = client.post(partner_url(partner_tenant, customer), APP)
    bad = client.post(partner_url(partner_tenant, customer), {**APP, "link": "not a url"})

    assert page.status_code == 200 and "Submit for approval" in page.content.decode()
    assert sent.status_code == 302
    assert bad.status_code == 400
    app = IndustryApp.objects.get()
    assert (app.partner, app.tenant, app.submitted_by) == (partner_tenant, customer, partner_admin)


def test_partner_page_needs_the_type_in_force(
    client_as, customer, industry, partner_tenant, partner_admin, partner_agent
):
    assert client_as(partner_agent).get(partner_url(partner_tenant, customer)).status_code == 403
    industry.types = ["isv"]
    industry.save()
    assert client_as(partner_admin).get(partner_url(partner_tenant, customer)).status_code == 404
