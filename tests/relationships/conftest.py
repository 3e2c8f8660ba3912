"""Invitation fixtures: Contoso as a listed partner offering every assignable type."""

import pytest

from tests.partners.conftest import make_listing

ASSIGNABLE = (
    "advisor",
    "isv",
    "indirect_reseller",
    "mpsa_partner",
    "oem",
    "partner_user_account",
    "gdap",
    "reseller",
)
HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8"
GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10"
USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1"


@pytest.fixture
def partner_profile(partner_tenant):
    return make_listing(
        "Contoso",
        tenant=partner_tenant,
        relationship_types=ASSIGNABLE,
        lead_email="leads@contoso.example",
    )


@pytest.fixture
def send(api_as, partner_admin, partner_profile, partner_tenant):
    """POST an invitation as Contoso's admin; returns the response."""

    def _send(**body):
        body.setdefault("email", "alice@fabrikam.example")
        body.setdefault("relationship_types", ["reseller"])
        return api_as(partner_admin).post(
            f"/api/v1/tenants/{partner_tenant.id}/invitations", body, format="json"
        )

    return _send


def token_of(response) -> str:
    return response.json()["approval_url"].rstrip("/").rsplit("/", 1)[-1]


def gdap_part(*role_ids, duration="P90D", auto_extend="PT0S", name="Contoso helpdesk") -> dict:
    """The `gdap` part of an invitation body."""
    return {
        "display_name": name,
        "duration": duration,
        "role_definition_ids": list(role_ids) or [HELPDESK],
        "auto_extend_duration": auto_extend,
    }


@pytest.fixture
def sent(send):
    """Send an invitation and return its raw token (asserting the 201)."""

    def _sent(**body):
        response = send(**body)
        assert response.status_code == 201, response.json()
        return token_of(response)

    return _sent


def client_for(user):
    """A fresh API client signed in as user (the shared `api` client stays as it was)."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def accept(db):
    """POST /invitations/{token}/accept as user for tenant (own client); returns the response."""

    def _accept(token, user, tenant, **body):
        body.setdefault("tenant_id", str(tenant.pk))
        body.setdefault("accept_agreement", True)
        return client_for(user).post(f"/api/v1/invitations/{token}/accept", body, format="json")

    return _accept


@pytest.fixture
def partner_api(api_as, partner_admin):
    return api_as(partner_admin)


@pytest.fixture
def accepted(sent, accept, customer, customer_admin, partner_tenant):
    """Fabrikam accepted a Contoso invitation (GDAP: Helpdesk and User Administrator, and
    reseller); returns the PartnerRelationship."""
    from relationships.models import PartnerRelationship

    token = sent(
        customer_tenant_id=str(customer.pk),
        relationship_types=["gdap", "reseller"],
        gdap=gdap_part(HELPDESK, USER_ADMIN),
    )
    response = accept(token, customer_admin, customer)
    assert response.status_code == 200, response.json()
    return PartnerRelationship.objects.get(customer=customer, partner=partner_tenant)


def gdap_of(relationship):
    """The active GDAP relationship of a partner relationship's pair."""
    from relationships.models import DelegatedAdminRelationship

    return DelegatedAdminRelationship.objects.get(
        customer=relationship.customer_id, partner=relationship.partner_id, status="active"
    )


def make_lead(partner, customer, **fields):
    """A lead ("Contact me") from customer to partner (fixture data, written directly)."""
    from partners.models import Industry, Lead, OrganizationSize

    fields.setdefault("org_name", customer.name)
    fields.setdefault("email", "alice@fabrikam.example")
    fields.setdefault("contact_name", "Alice")
    fields.setdefault("country", "DE")
    fields.setdefault("city", "Berlin")
    fields.setdefault("business_needs", "Help with Microsoft 365.")
    fields.setdefault("industry", Industry.objects.order_by("position").first())
    fields.setdefault("org_size", OrganizationSize.objects.order_by("position").first())
    return Lead.objects.create(partner=partner, customer=customer, **fields)
