"""Industry partner, end to end like the other types: offered by the partner, accepted by
the customer, shown on both sides with what it unlocks (industry apps)."""

import pytest

from relationships.models import PartnerRelationship
from tests.industry.test_api import APP
from tests.partners.conftest import make_listing
from tests.relationships.conftest import token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def industry_listing(partner_tenant):
    return make_listing(
        "Contoso",
        tenant=partner_tenant,
        relationship_types=("industry_partner", "isv"),
        lead_email="leads@contoso.example",
    )


def test_industry_partner_is_invited_accepted_and_unlocks_industry_apps(
    api_as, accept, industry_listing, partner_tenant, partner_admin, customer, customer_admin
):
    sent = api_as(partner_admin).post(
        f"/api/v1/tenants/{partner_tenant.pk}/invitations",
        {"email": customer_admin.email, "relationship_types": ["industry_partner"]},
        format="json",
    )
    assert sent.status_code == 201, sent.json()

    accepted = accept(token_of(sent), customer_admin, customer)
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["relationship_types"] == ["industry_partner"]
    relationship = PartnerRelationship.objects.get(customer=customer, partner=partner_tenant)
    assert relationship.types == ["industry_partner"]

    # The partner's side: the customer, with the type in force.
    partner_api = api_as(partner_admin)
    customers = partner_api.get(f"/api/v1/tenants/{partner_tenant.pk}/customers").json()
    assert customers["results"][0]["relationship_types"] == ["industry_partner"]

    # What it unlocks: the partner submits an industry app, the customer sees it.
    submitted = partner_api.post(
        f"/api/v1/tenants/{customer.pk}/industry-apps",
        {**APP, "partner_tenant_id": str(partner_tenant.pk)},
        format="json",
    )
    assert submitted.status_code == 201, submitted.json()
    apps = api_as(customer_admin).get(f"/api/v1/tenants/{customer.pk}/industry-apps").json()
    assert [a["name"] for a in apps["results"]] == [APP["name"]]


def test_the_invitation_form_offers_industry_partner(
    client_as, industry_listing, partner_tenant, partner_admin
):
    response = client_as(partner_admin).get(f"/t/{partner_tenant.pk}/partner/invitations/new/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="industry_partner"' in html
    assert "Builds, submits and manages industry apps." in html


def test_both_sides_show_industry_partner_with_what_it_unlocks(
    client_as, industry_listing, partner_tenant, partner_admin, customer, customer_admin
):
    from tests.devices.conftest import relate

    relate(customer, partner_tenant, "industry_partner")

    customer_pane = client_as(customer_admin).get(
        f"/t/{customer.pk}/settings/partners/{partner_tenant.pk}/"
    )
    html = customer_pane.content.decode()
    assert customer_pane.status_code == 200
    assert "Industry partner" in html
    assert "its industry apps are visible to the tenant" in html
    assert f'href="/t/{customer.pk}/industry-apps/?partner={partner_tenant.pk}"' in html

    partner_page = client_as(partner_admin).get(f"/t/{partner_tenant.pk}/partner/customers/")
    html = partner_page.content.decode()
    assert "Industry partner" in html
    assert f"/t/{partner_tenant.pk}/partner/customers/{customer.pk}/industry-apps/" in html
