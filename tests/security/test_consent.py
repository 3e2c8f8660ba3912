"""Consent cannot be manufactured by the party asking for it (issue 12, findings 2 and 10).

The attack: a partner agent with delegated User or Global Administrator makes itself (or
an account it controls) a member of the customer with Billing Administrator, which carries
partners.manage and agreements.accept, then accepts its own partner's next invitation.
"""

import pytest

from core.errors import PermissionDenied
from people import services as people
from relationships import services as relationships
from roles import access
from roles.permissions import PARTNERS_MANAGE, role_id
from tenants.models import Membership, MembershipRole
from tests.factories import member
from tests.gdap_factories import grant

pytestmark = pytest.mark.django_db

BILLING = role_id("Billing Administrator")
READER = role_id("Directory Readers")
GLOBAL = role_id("Global Administrator")


@pytest.fixture
def delegated_admin(customer, partner_tenant, partner_agent):
    """Contoso's agent holds Global Administrator in Fabrikam through GDAP."""
    grant(partner_tenant, customer, partner_agent, "Global Administrator")
    return partner_agent


def test_a_delegated_actor_cannot_make_itself_a_member(customer, delegated_admin):
    with pytest.raises(PermissionDenied):
        people.add_member(
            by=delegated_admin, tenant=customer, email=delegated_admin.email, role_ids=[READER]
        )
    assert not Membership.objects.filter(tenant=customer, user=delegated_admin).exists()


def test_a_delegated_actor_cannot_target_its_colleagues(customer, partner_tenant, delegated_admin):
    colleague = member(partner_tenant, email="mate@contoso.example")
    with pytest.raises(PermissionDenied):
        people.add_member(by=delegated_admin, tenant=customer, email=colleague.email)


@pytest.mark.parametrize("role", ["Billing Administrator", "Global Administrator"])
def test_a_delegated_actor_cannot_give_a_consent_role(
    customer, delegated_admin, plain_member, role
):
    with pytest.raises(PermissionDenied):
        people.set_member_roles(
            by=delegated_admin, tenant=customer, user_id=plain_member.pk, role_ids=[role_id(role)]
        )
    with pytest.raises(PermissionDenied):
        people.add_member(
            by=delegated_admin,
            tenant=customer,
            email="sock@fabrikam.example",
            role_ids=[role_id(role)],
        )


def test_an_own_user_administrator_cannot_make_billing_administrators(customer):
    user_admin = member(customer, "User Administrator", email="ua@fabrikam.example")
    with pytest.raises(PermissionDenied):
        people.add_member(
            by=user_admin, tenant=customer, email="bill@fabrikam.example", role_ids=[BILLING]
        )
    billing = member(customer, "Billing Administrator", email="b2@fabrikam.example")
    with pytest.raises(PermissionDenied):
        people.remove_member(by=user_admin, tenant=customer, user_id=billing.pk)


def test_roles_given_through_delegated_access_are_recorded_and_never_consent(
    customer, partner_tenant, delegated_admin
):
    created = people.add_member(
        by=delegated_admin, tenant=customer, email="helper@fabrikam.example", role_ids=[READER]
    )
    assert created.delegated_partner_id == partner_tenant.pk
    assignment = MembershipRole.objects.get(membership=created)
    assert assignment.delegated_partner_id == partner_tenant.pk


def test_delegated_roles_end_with_the_delegated_access(customer, partner_tenant, delegated_admin):
    created = people.add_member(
        by=delegated_admin, tenant=customer, email="helper@fabrikam.example", role_ids=[READER]
    )
    helper = created.user
    assert access.has_permission(helper, customer, "users.read")

    rel = delegated_admin.security_groups.get().access_assignments.get().relationship
    admin = member(customer, "Global Administrator", email="own@fabrikam.example")
    relationships.terminate_relationship(by=admin, tenant=customer, relationship_id=rel.pk)

    assert not access.has_permission(helper, customer, "users.read")


def test_removing_a_partners_roles_removes_the_roles_it_gave(
    customer, partner_tenant, delegated_admin, customer_admin
):
    created = people.add_member(
        by=delegated_admin, tenant=customer, email="helper@fabrikam.example", role_ids=[READER]
    )
    relationships.remove_partner_roles(
        by=customer_admin, customer=customer, partner_id=partner_tenant.pk
    )
    assert not MembershipRole.objects.filter(membership=created).exists()


def test_consent_never_comes_from_roles_given_by_a_partner(customer, partner_tenant):
    # Even had such a role been given before these rules, it does not count as own.
    someone = member(customer, email="sock@fabrikam.example")
    membership = Membership.objects.get(user=someone, tenant=customer)
    MembershipRole.objects.create(
        membership=membership, roledefinition_id=BILLING, delegated_partner=partner_tenant
    )
    tenant_access = access.resolve(someone, customer)
    assert not tenant_access.has_own(PARTNERS_MANAGE)


def test_a_partner_user_administrator_cannot_join_a_privileged_group(
    customer, partner_tenant, partner_admin
):
    user_admin = member(partner_tenant, "User Administrator", email="ua@contoso.example")
    assignment = grant(partner_tenant, customer, partner_admin, "Global Administrator")
    group = assignment.security_group

    with pytest.raises(PermissionDenied):
        people.set_security_group_members(
            by=user_admin,
            tenant=partner_tenant,
            group_id=group.pk,
            user_ids=[partner_admin.pk, user_admin.pk],
        )
    assert not access.has_permission(user_admin, customer, "users.manage")
