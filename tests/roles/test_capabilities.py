"""Relationship types grant partner capabilities through the resolver, like roles."""

import pytest

from relationships.models import PartnerRelationship
from roles import access
from roles.permissions import DEVICES_REGISTER, SUBSCRIPTIONS_RESELL, USERS_READ


@pytest.fixture
def oem_relationship(customer, partner_tenant):
    return PartnerRelationship.objects.create(
        customer=customer, partner=partner_tenant, types=["oem"]
    )


def test_partner_manager_gets_the_types_capability(customer, partner_admin, oem_relationship):
    result = access.resolve(partner_admin, customer)

    assert result.has(DEVICES_REGISTER)
    assert not result.has(SUBSCRIPTIONS_RESELL)
    assert not result.has(USERS_READ)  # an OEM reads nothing of the tenant
    assert result.can_act
    assert result.capability_partners(DEVICES_REGISTER) == {oem_relationship.partner_id}


def test_partner_staff_without_partners_manage_get_nothing(
    customer, partner_agent, oem_relationship
):
    result = access.resolve(partner_agent, customer)

    assert not result.has(DEVICES_REGISTER)
    assert not result.can_act


def test_ended_type_grants_nothing(customer, partner_admin, oem_relationship):
    oem_relationship.types = []
    oem_relationship.save()

    assert not access.resolve(partner_admin, customer).has(DEVICES_REGISTER)


def test_isv_grants_nothing(customer, partner_admin, partner_tenant):
    PartnerRelationship.objects.create(customer=customer, partner=partner_tenant, types=["isv"])

    result = access.resolve(partner_admin, customer)

    assert not result.can_act
    assert not result.permissions


def test_role_checks_do_not_load_capabilities(
    customer, customer_admin, oem_relationship, django_assert_num_queries
):
    with django_assert_num_queries(1):  # membership roles answer: no GDAP, no capability query
        assert access.has_permission(customer_admin, customer, USERS_READ)
