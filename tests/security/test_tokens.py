"""Tokens are narrower than sessions (issue 12, finding 8 and the token half of 10).

Written as the attacks: a token that mints tokens, lists and revokes its owner's other
tokens, reaches a tenant it is not bound to, or writes with a read scope.
"""

import pytest

from tenants.models import ApiToken

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/me/tokens"


def users_url(tenant):
    return f"/api/v1/tenants/{tenant.pk}/users"


def test_a_token_cannot_mint_a_token(token_client, customer_admin):
    client, _token = token_client(customer_admin)

    response = client.post(TOKENS, {"name": "child"}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "session_required"
    assert ApiToken.objects.count() == 1


def test_a_token_cannot_list_or_revoke_its_owners_tokens(token_client, customer_admin):
    client, _token = token_client(customer_admin)
    _other_client, other = token_client(customer_admin, name="laptop")

    assert client.get(TOKENS).status_code == 403
    assert client.delete(f"{TOKENS}/{other.pk}").status_code == 403
    other.refresh_from_db()
    assert other.revoked_at is None


def test_a_session_still_manages_tokens(api_as, customer_admin):
    api = api_as(customer_admin)
    response = api.post(TOKENS, {"name": "ci"}, format="json")
    assert response.status_code == 201
    assert response.json()["api_token"]["scopes"] == ["Liaison.ReadWrite"]
    assert api.get(TOKENS).status_code == 200


def test_a_bound_token_opens_its_tenant_only(token_client, customer_admin, customer, outsider):
    # The admin is also an admin of a second tenant.
    from tests.factories import member

    member(outsider, "Global Administrator", email=customer_admin.email)
    client, _token = token_client(customer_admin, tenant_id=customer.pk)

    assert client.get(users_url(customer)).status_code == 200
    other = client.get(users_url(outsider))
    assert other.status_code == 404
    assert other.json() == {"detail": "Not found.", "code": "not_found"}
    me = client.get("/api/v1/me").json()
    assert [t["id"] for t in me["tenants"]] == [str(customer.pk)]


def test_a_read_token_cannot_write(token_client, customer_admin, customer):
    client, _token = token_client(customer_admin, scopes=["Liaison.Read"])

    assert client.get(users_url(customer)).status_code == 200
    response = client.post(users_url(customer), {"email": "x@fabrikam.example"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    # Not even outside a tenant.
    assert client.post("/api/v1/tenants", {"name": "X", "country": "DE"}).status_code == 403


def test_a_graph_token_does_not_open_the_liaison_api(token_client, partner_admin, partner_tenant):
    client, _token = token_client(
        partner_admin,
        tenant_id=partner_tenant.pk,
        scopes=["DelegatedAdminRelationship.ReadWrite.All"],
    )
    assert client.get(users_url(partner_tenant)).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scopes": ["Everything"]}, "scopes"),
        ({"scopes": ["DelegatedAdminRelationship.Read.All"]}, "tenant_id"),
        ({"tenant_id": "00000000-0000-0000-0000-000000000000"}, "tenant_id"),
    ],
)
def test_token_requests_outside_the_rules_are_refused(api_as, customer_admin, body, field):
    response = api_as(customer_admin).post(TOKENS, {"name": "x", **body}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_token_cannot_be_bound_to_someone_elses_tenant(api_as, customer_admin, outsider):
    response = api_as(customer_admin).post(
        TOKENS, {"name": "x", "tenant_id": str(outsider.pk)}, format="json"
    )
    assert response.status_code == 400
    assert ApiToken.objects.count() == 0
