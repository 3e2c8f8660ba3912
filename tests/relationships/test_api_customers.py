"""Partner side after acceptance: the customers list and ending relationship types."""

import pytest

from audit.models import AuditEvent
from relationships.models import DelegatedAdminRelationship, PartnerRelationship
from roles import access
from roles.permissions import USERS_MANAGE
from tests.factories import SecurityGroupFactory
from tests.gdap_factories import AccessAssignmentFactory
from tests.relationships.conftest import client_for, gdap_of, gdap_part

pytestmark = pytest.mark.django_db


def customers_url(partner):
    return f"/api/v1/tenants/{partner.pk}/customers"


def end_types(partner_admin, partner, customer, *codes):
    return client_for(partner_admin).post(
        f"{customers_url(partner)}/{customer.pk}/end-types",
        {"relationship_types": list(codes)},
        format="json",
    )


def test_customers_list_shape(accepted, partner_admin, partner_tenant, customer):
    response = client_for(partner_admin).get(customers_url(partner_tenant))

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["tenant_id"] == str(customer.pk)
    assert row["name"] == "Fabrikam"
    assert row["relationship_types"] == ["gdap", "reseller"]
    assert row["agreement_accepted"] is True
    rel = gdap_of(accepted)
    (gdap,) = row["gdap"]
    assert gdap["id"] == str(rel.pk)
    assert gdap["display_name"] == "Contoso helpdesk"
    assert gdap["status"] == "active"
    assert gdap["end_at"]


def test_customer_without_acceptance_reads_not_accepted(partner_admin, partner_tenant, customer):
    PartnerRelationship.objects.create(customer=customer, partner=partner_tenant, types=["isv"])

    (row,) = client_for(partner_admin).get(customers_url(partner_tenant)).json()["results"]

    assert row["agreement_accepted"] is False
    assert row["gdap"] == []


def test_plain_member_of_the_partner_cannot_list_customers(accepted, partner_agent, partner_tenant):
    assert client_for(partner_agent).get(customers_url(partner_tenant)).status_code == 403


def test_partner_ends_a_type_and_the_customer_is_mailed(
    accepted,
    partner_admin,
    partner_tenant,
    customer,
    customer_admin,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = end_types(partner_admin, partner_tenant, customer, "reseller")

    assert response.status_code == 200, response.json()
    assert response.json()["relationship_types"] == ["gdap"]
    assert PartnerRelationship.objects.get().types == ["gdap"]
    assert gdap_of(accepted).status == "active"  # a GDAP type is still in force
    (mail,) = mailoutbox
    assert mail.to == [customer_admin.email]
    assert "Contoso" in mail.subject or "Contoso" in mail.body
    (event,) = AuditEvent.objects.filter(action="relationship.types_ended")
    assert event.actor == partner_admin
    assert event.before == {"types": ["gdap", "reseller"]}
    assert event.after["ended"] == ["reseller"]


def test_ending_gdap_terminates_active_grants(
    accepted, partner_admin, partner_agent, partner_tenant, customer
):
    rel = gdap_of(accepted)
    group = SecurityGroupFactory(tenant=partner_tenant, members=[partner_agent])
    AccessAssignmentFactory(relationship=rel, security_group=group)
    assert access.has_permission(partner_agent, customer, USERS_MANAGE)

    response = end_types(partner_admin, partner_tenant, customer, "gdap")

    assert response.status_code == 200, response.json()
    assert response.json()["relationship_types"] == ["reseller"]
    rel.refresh_from_db()
    assert rel.status == DelegatedAdminRelationship.Status.TERMINATED
    assert not access.has_permission(partner_agent, customer, USERS_MANAGE)
    assert AuditEvent.objects.filter(action="relationship.types_ended").count() == 1


def test_ending_gdap_terminates_gdap_grants_even_when_advisor_stays(
    sent, accept, partner_admin, partner_tenant, customer, customer_admin
):
    """Advisor's grant is limited to its two roles; ending GDAP must end the broad grant."""
    assert (
        accept(
            sent(relationship_types=["gdap"], gdap=gdap_part(name="Broad", duration="P30D")),
            customer_admin,
            customer,
        ).status_code
        == 200
    )
    assert (
        accept(
            sent(relationship_types=["advisor"], gdap=gdap_part(name="Advisor")),
            customer_admin,
            customer,
        ).status_code
        == 200
    )

    response = end_types(partner_admin, partner_tenant, customer, "gdap")

    assert response.status_code == 200, response.json()
    statuses = dict(DelegatedAdminRelationship.objects.values_list("display_name", "status"))
    assert statuses == {"Broad": "terminated", "Advisor": "active"}


def test_ending_every_type_ends_the_relationship(accepted, partner_admin, partner_tenant, customer):
    response = end_types(partner_admin, partner_tenant, customer, "gdap", "reseller")

    assert response.status_code == 204
    relationship = PartnerRelationship.objects.get()
    assert relationship.types == [] and relationship.ended_at is not None
    assert client_for(partner_admin).get(customers_url(partner_tenant)).json()["count"] == 0
    assert gdap_of_any(relationship).status == "terminated"


def gdap_of_any(relationship):
    return DelegatedAdminRelationship.objects.get(
        customer=relationship.customer_id, partner=relationship.partner_id
    )


def test_ending_a_type_not_in_force_is_400(accepted, partner_admin, partner_tenant, customer):
    response = end_types(partner_admin, partner_tenant, customer, "oem")

    assert response.status_code == 400
    assert PartnerRelationship.objects.get().types == ["gdap", "reseller"]


def test_plain_member_of_the_partner_cannot_end_types(
    accepted, partner_agent, partner_tenant, customer
):
    response = end_types(partner_agent, partner_tenant, customer, "reseller")

    assert response.status_code == 403
    assert PartnerRelationship.objects.get().types == ["gdap", "reseller"]


def test_relationship_can_start_again_after_it_ended(
    accepted, sent, accept, partner_admin, partner_tenant, customer, customer_admin
):
    end_types(partner_admin, partner_tenant, customer, "gdap", "reseller")

    response = accept(sent(relationship_types=["isv"]), customer_admin, customer)

    assert response.status_code == 200
    relationship = PartnerRelationship.objects.get()
    assert relationship.types == ["isv"] and relationship.ended_at is None
