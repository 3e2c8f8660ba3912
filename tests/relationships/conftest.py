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
