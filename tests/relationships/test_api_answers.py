"""The relationship endpoints answer what the schema declares (issue 15): accept, asking to
end, ending types, GDAP requests, and the status filters of the invitation and GDAP lists."""

import pytest

from tests.openapi import assert_conforms
from tests.relationships.conftest import client_for, gdap_of, gdap_part

pytestmark = pytest.mark.django_db


def test_accept_answers_the_partner_relationship_row(sent, accept, customer, customer_admin):
    token = sent(
        customer_tenant_id=str(customer.pk),
        relationship_types=["gdap", "reseller"],
        gdap=gdap_part(),
    )

    response = accept(token, customer_admin, customer)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["partner"]["name"] == "Contoso"
    assert body["relationship_types"] == ["gdap", "reseller"]
    assert [r["source"] for r in body["admin_roles"]] == ["gdap"]
    assert body["agreement_accepted"] is True
    assert_conforms(response)


def test_accepting_twice_is_a_409_in_the_error_shape(sent, accept, customer, customer_admin):
    token = sent(customer_tenant_id=str(customer.pk))
    assert accept(token, customer_admin, customer).status_code == 200

    response = accept(token, customer_admin, customer)

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state"
    assert_conforms(response)


def test_request_end_answers_its_id_and_status(accepted, customer, customer_admin, partner_tenant):
    response = client_for(customer_admin).post(
        f"/api/v1/tenants/{customer.pk}/partner-relationships/{partner_tenant.pk}/request-end",
        {"message": "Please end it."},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert set(response.json()) == {"id", "status"}
    assert response.json()["status"] == "open"
    assert_conforms(response)


def test_end_types_answers_the_customer_row_then_204_when_none_is_left(
    accepted, partner_admin, partner_tenant, customer
):
    url = f"/api/v1/tenants/{partner_tenant.pk}/customers/{customer.pk}/end-types"
    api = client_for(partner_admin)

    some = api.post(url, {"relationship_types": ["reseller"]}, format="json")
    rest = api.post(url, {"relationship_types": ["gdap"]}, format="json")

    assert some.status_code == 200, some.json()
    assert some.json()["relationship_types"] == ["gdap"]
    assert_conforms(some)
    assert rest.status_code == 204
    assert rest.content == b""
    assert_conforms(rest)


def test_terminate_request_answers_the_relationship_status(accepted, customer, customer_admin):
    rel = gdap_of(accepted)

    response = client_for(customer_admin).post(
        f"/api/v1/tenants/{customer.pk}/delegated-admin-relationships/{rel.pk}/requests",
        {"action": "terminate"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["action"], body["status"], body["relationship_status"]) == (
        "terminate",
        "succeeded",
        "terminated",
    )
    assert_conforms(response)


def test_lock_for_approval_answers_the_approval_link(
    partner_admin, partner_tenant, partner_profile, customer
):
    api = client_for(partner_admin)
    base = f"/api/v1/tenants/{partner_tenant.pk}/delegated-admin-relationships"
    created = api.post(
        base,
        {
            "display_name": "Contoso helpdesk",
            "duration": "P90D",
            "customer": {"tenant_id": str(customer.pk)},
            "access_details": {
                "unified_roles": [{"role_definition_id": "729827e3-9c14-49f7-bb1b-9608f156bbb8"}]
            },
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["customer"]["tenant_id"] == str(customer.pk)
    assert_conforms(created)

    response = api.post(
        f"{base}/{created.json()['id']}/requests", {"action": "lockForApproval"}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["relationship_status"] == "approval_pending"
    assert body["approval_url"] and body["invitation_id"]
    assert_conforms(response)


def test_relationship_customer_may_name_its_tenant_as_graph_spells_it(
    partner_admin, partner_tenant, partner_profile, customer
):
    response = client_for(partner_admin).post(
        f"/api/v1/tenants/{partner_tenant.pk}/delegated-admin-relationships",
        {
            "display_name": "Contoso helpdesk",
            "duration": "P90D",
            "customer": {"tenantId": str(customer.pk)},
            "access_details": {
                "unified_roles": [{"role_definition_id": "729827e3-9c14-49f7-bb1b-9608f156bbb8"}]
            },
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["customer"]["tenant_id"] == str(customer.pk)


def test_relationship_customer_without_a_tenant_id_is_a_400(partner_admin, partner_tenant):
    response = client_for(partner_admin).post(
        f"/api/v1/tenants/{partner_tenant.pk}/delegated-admin-relationships",
        {
            "display_name": "Contoso helpdesk",
            "duration": "P90D",
            "customer": {"name": "Fabrikam"},
            "access_details": {"unified_roles": []},
        },
        format="json",
    )

    assert response.status_code == 400
    assert "customer" in response.json()["errors"]
    assert_conforms(response)
