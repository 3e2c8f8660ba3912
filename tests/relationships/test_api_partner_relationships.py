"""Customer side after acceptance: the partners list and pane, removing roles, asking to end."""

import pytest

from audit.models import AuditEvent
from relationships.models import DelegatedAdminRelationship, EndRequest, PartnerRelationship
from roles import access, catalog
from roles.permissions import USERS_MANAGE, USERS_READ, role_id
from tests.factories import MembershipFactory, SecurityGroupFactory, member
from tests.gdap_factories import AccessAssignmentFactory
from tests.relationships.conftest import HELPDESK, USER_ADMIN, client_for, gdap_of

pytestmark = pytest.mark.django_db


def rels_url(customer, partner=None, action=""):
    url = f"/api/v1/tenants/{customer.pk}/partner-relationships"
    if partner is not None:
        url += f"/{partner.pk}"
    return url + (f"/{action}" if action else "")


def test_list_shape(accepted, customer, customer_admin, partner_tenant):
    response = client_for(customer_admin).get(rels_url(customer))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["next"] is None
    (row,) = body["results"]
    assert row["partner"] == {"tenant_id": str(partner_tenant.pk), "name": "Contoso"}
    assert row["relationship_types"] == ["gdap", "reseller"]
    assert row["agreement_accepted"] is True
    assert row["started_at"]
    rel = gdap_of(accepted)
    assert sorted(row["admin_roles"], key=lambda r: r["name"]) == [
        {
            "role_definition_id": HELPDESK,
            "name": "Helpdesk Administrator",
            "source": "gdap",
            "relationship_id": str(rel.pk),
            "end_at": row["admin_roles"][0]["end_at"],
        },
        {
            "role_definition_id": USER_ADMIN,
            "name": "User Administrator",
            "source": "gdap",
            "relationship_id": str(rel.pk),
            "end_at": row["admin_roles"][0]["end_at"],
        },
    ]
    assert row["admin_roles"][0]["end_at"]


def test_global_reader_reads_the_list(accepted, customer):
    reader = member(customer, "Global Reader", email="reader@fabrikam.example")

    assert client_for(reader).get(rels_url(customer)).status_code == 200


def test_plain_member_cannot_read_the_list(accepted, customer, plain_member):
    assert client_for(plain_member).get(rels_url(customer)).status_code == 403


def test_partner_user_accounts_show_as_user_account_roles(accepted, customer, partner_tenant):
    membership = MembershipFactory(tenant=customer, partner_tenant=partner_tenant)
    membership.roles.set(catalog.get_roles([role_id("Global Reader")]))
    admin = member(customer, "Global Administrator", email="ga2@fabrikam.example")

    (row,) = client_for(admin).get(rels_url(customer)).json()["results"]

    sources = {(r["name"], r["source"]) for r in row["admin_roles"]}
    assert ("Global Reader", "user_account") in sources


def test_detail_has_gdap_relationships_and_history(
    accepted, customer, customer_admin, partner_tenant
):
    response = client_for(customer_admin).get(rels_url(customer, partner_tenant))

    assert response.status_code == 200
    body = response.json()
    assert body["partner"]["tenant_id"] == str(partner_tenant.pk)
    (gdap,) = body["gdap_relationships"]
    assert gdap["status"] == "active"
    assert gdap["display_name"] == "Contoso helpdesk"
    actions = [e["action"] for e in body["history"]]
    assert {"invitation.sent", "invitation.accepted", "gdap.approved", "agreement.accepted"} <= set(
        actions
    )
    assert body["history"][0]["occurred_at"] >= body["history"][-1]["occurred_at"]


def test_detail_of_a_partner_without_relationship_is_404(customer, customer_admin, outsider):
    assert client_for(customer_admin).get(rels_url(customer, outsider)).status_code == 404


def test_received_invitations_are_listed(sent, customer, customer_admin):
    sent(customer_tenant_id=str(customer.pk))

    response = client_for(customer_admin).get(f"/api/v1/tenants/{customer.pk}/invitations")

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["partner"]["name"] == "Contoso" and row["status"] == "pending"


# Remove roles --------------------------------------------------------------------------------


def test_remove_roles_ends_gdap_access_at_once(
    accepted, customer, customer_admin, partner_tenant, partner_agent
):
    rel = gdap_of(accepted)
    group = SecurityGroupFactory(tenant=partner_tenant, members=[partner_agent])
    AccessAssignmentFactory(relationship=rel, security_group=group)
    assert access.has_permission(partner_agent, customer, USERS_MANAGE)

    response = client_for(customer_admin).post(rels_url(customer, partner_tenant, "remove-roles"))

    assert response.status_code == 200, response.json()
    assert response.json()["admin_roles"] == []
    assert response.json()["relationship_types"] == ["gdap", "reseller"]
    assert not access.has_permission(partner_agent, customer, USERS_MANAGE)
    assert not access.has_permission(partner_agent, customer, USERS_READ)
    rel.refresh_from_db()
    assert rel.status == DelegatedAdminRelationship.Status.TERMINATED
    relationship = PartnerRelationship.objects.get()
    assert relationship.types == ["gdap", "reseller"]
    assert AuditEvent.objects.filter(action="partner.roles_removed").count() == 1


def test_remove_roles_when_nothing_to_remove_is_409(
    sent, accept, customer, customer_admin, partner_tenant
):
    assert accept(sent(), customer_admin, customer).status_code == 200

    response = client_for(customer_admin).post(rels_url(customer, partner_tenant, "remove-roles"))

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state"


def test_remove_roles_twice_is_409(accepted, customer, customer_admin, partner_tenant):
    api = client_for(customer_admin)
    assert api.post(rels_url(customer, partner_tenant, "remove-roles")).status_code == 200

    assert api.post(rels_url(customer, partner_tenant, "remove-roles")).status_code == 409


def test_global_reader_cannot_remove_roles(accepted, customer, partner_tenant):
    reader = member(customer, "Global Reader", email="reader@fabrikam.example")

    response = client_for(reader).post(rels_url(customer, partner_tenant, "remove-roles"))

    assert response.status_code == 403
    assert gdap_of(accepted).status == "active"


# Ask to end -----------------------------------------------------------------------------------


def test_customer_asks_to_end(
    accepted,
    customer,
    customer_admin,
    partner_tenant,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(customer_admin).post(
            rels_url(customer, partner_tenant, "request-end"),
            {"message": "We are moving on."},
            format="json",
        )

    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "open"
    end_request = EndRequest.objects.get()
    assert end_request.relationship == accepted
    assert end_request.requested_by == customer_admin
    assert end_request.message == "We are moving on."
    recipients = {to for m in mailoutbox for to in m.to}
    assert {"pat@contoso.example", "leads@contoso.example"} <= recipients
    assert all("We are moving on." in m.body for m in mailoutbox)
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="relationship.")] == [
        "relationship.end_requested"
    ]
    assert PartnerRelationship.objects.get().types == ["gdap", "reseller"]  # the partner's act


def test_second_open_request_to_end_is_409(accepted, customer, customer_admin, partner_tenant):
    api = client_for(customer_admin)
    assert api.post(rels_url(customer, partner_tenant, "request-end")).status_code == 201

    response = api.post(rels_url(customer, partner_tenant, "request-end"))

    assert response.status_code == 409
    assert EndRequest.objects.count() == 1


def test_plain_member_cannot_ask_to_end(accepted, customer, plain_member, partner_tenant):
    response = client_for(plain_member).post(rels_url(customer, partner_tenant, "request-end"))

    assert response.status_code == 403
    assert not EndRequest.objects.exists()
