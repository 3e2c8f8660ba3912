"""Delegated access through GDAP: what the resolver grants, until when, and what it costs.

Expiry is enforced at check time: past its end a grant gives nothing with no sweep run.
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import InvalidState, PermissionDenied
from relationships import services
from relationships.models import DelegatedAdminRelationship
from roles import access
from roles.permissions import USERS_MANAGE, USERS_READ, USERS_RESET_PASSWORD, role_id
from tenants.models import Membership
from tests.factories import MembershipFactory, SecurityGroupFactory, TenantFactory, UserFactory
from tests.gdap_factories import AccessAssignmentFactory, DelegatedAdminRelationshipFactory, grant

pytestmark = pytest.mark.django_db

Status = DelegatedAdminRelationship.Status
AUTO_EXTEND = timedelta(days=180)


def rel_api_url(tenant, rel):
    return reverse("api-gdap-relationship", args=[tenant.pk, rel.pk])


def test_partner_staff_hold_the_assigned_roles_in_the_customer(
    partner_tenant, partner_agent, customer
):
    assignment = grant(partner_tenant, customer, partner_agent, "User Administrator")

    tenant_access = access.resolve(partner_agent, customer)

    assert tenant_access.can_act and tenant_access.is_delegated
    assert [r.name for r in access.effective_roles(partner_agent, customer)] == [
        "User Administrator"
    ]
    assert access.has_permission(partner_agent, customer, USERS_MANAGE)
    (only,) = tenant_access.grants
    assert only.source == "gdap"
    assert only.relationship_id == assignment.relationship_id
    assert only.partner_tenant_id == partner_tenant.pk
    assert only.end_at == assignment.relationship.end_at


def test_staff_outside_the_group_hold_nothing(
    partner_tenant, partner_admin, partner_agent, customer
):
    grant(partner_tenant, customer, partner_agent, "User Administrator")

    assert not access.resolve(partner_admin, customer).can_act


@pytest.mark.parametrize(
    "status", [Status.APPROVAL_PENDING, Status.DECLINED, Status.EXPIRED, Status.TERMINATED]
)
def test_only_an_active_relationship_grants(partner_tenant, partner_agent, customer, status):
    grant(partner_tenant, customer, partner_agent, "User Administrator", status=status)

    assert not access.has_permission(partner_agent, customer, USERS_READ)


def test_a_group_of_another_tenant_grants_nothing(partner_tenant, customer, plain_member):
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, roles=["User Administrator"]
    )
    # A customer's own group slipped into the assignment must not lend it partner roles.
    AccessAssignmentFactory(
        relationship=rel,
        security_group=SecurityGroupFactory(tenant=customer, members=[plain_member]),
    )

    assert not access.has_permission(plain_member, customer, USERS_MANAGE)


def test_access_ends_at_the_end_with_no_sweep(
    api_as, partner_tenant, partner_admin, partner_agent, customer
):
    rel = grant(partner_tenant, customer, partner_agent, "User Administrator").relationship

    with time_machine.travel(rel.end_at - timedelta(seconds=1), tick=False):
        assert access.has_permission(partner_agent, customer, USERS_READ)
    with time_machine.travel(rel.end_at + timedelta(seconds=1), tick=False):
        assert not access.has_permission(partner_agent, customer, USERS_READ)
        assert not access.resolve(partner_agent, customer).can_act
        response = api_as(partner_admin).get(rel_api_url(partner_tenant, rel))
        assert response.status_code == 200
        assert response.json()["status"] == "expired"
        agent_me = api_as(partner_agent).get(reverse("api-tenant-me", args=[customer.pk]))
        assert agent_me.status_code == 404

    rel.refresh_from_db()
    assert rel.status == Status.ACTIVE  # nothing ran: the stored status is unchanged


def test_auto_extend_keeps_access_past_the_end(
    api_as, partner_tenant, partner_admin, partner_agent, customer
):
    rel = grant(
        partner_tenant,
        customer,
        partner_agent,
        "User Administrator",
        auto_extend_duration=AUTO_EXTEND,
    ).relationship
    end = rel.end_at

    with time_machine.travel(end + timedelta(seconds=1), tick=False):
        assert access.has_permission(partner_agent, customer, USERS_READ)
        (only,) = access.resolve(partner_agent, customer).grants
        assert only.end_at == end + AUTO_EXTEND
        data = api_as(partner_admin).get(rel_api_url(partner_tenant, rel)).json()
        assert data["status"] == "active"
        assert data["end_date_time"] == (end + AUTO_EXTEND).isoformat().replace("+00:00", "Z")


def test_resolver_makes_at_most_two_queries_for_staff_with_20_relationships(
    partner_tenant, partner_agent
):
    group = SecurityGroupFactory(tenant=partner_tenant, members=[partner_agent])
    customers = [TenantFactory() for _ in range(20)]
    for customer in customers:
        rel = DelegatedAdminRelationshipFactory(
            partner=partner_tenant,
            customer=customer,
            roles=["User Administrator", "Helpdesk Administrator"],
        )
        AccessAssignmentFactory(relationship=rel, security_group=group)

    for tenant in (customers[0], customers[-1], partner_tenant):
        with CaptureQueriesContext(connection) as ctx:
            access.has_permission(partner_agent, tenant, USERS_RESET_PASSWORD)
        assert len(ctx.captured_queries) <= 2, ctx.captured_queries
    assert access.has_permission(partner_agent, customers[7], USERS_RESET_PASSWORD)


def test_me_shows_delegated_grants_with_source_relationship_and_end(
    api_as, partner_tenant, partner_agent, customer
):
    rel = grant(partner_tenant, customer, partner_agent, "Helpdesk Administrator").relationship

    response = api_as(partner_agent).get(reverse("api-tenant-me", args=[customer.pk]))

    assert response.status_code == 200
    (role,) = response.json()["roles"]
    assert role["role_definition_id"] == str(role_id("Helpdesk Administrator"))
    assert role["source"] == "gdap"
    assert role["relationship_id"] == str(rel.pk)
    assert role["end_at"] == rel.end_at.isoformat().replace("+00:00", "Z")
    assert "users.reset_password" in response.json()["permissions"]


def test_a_delegated_action_is_audited_with_the_partner_and_the_relationship(
    api_as, partner_tenant, partner_agent, customer
):
    rel = grant(partner_tenant, customer, partner_agent, "User Administrator").relationship

    response = api_as(partner_agent).post(
        reverse("api-users", args=[customer.pk]),
        {"email": "dave@fabrikam.example", "display_name": "Dave"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert Membership.objects.filter(tenant=customer, user__email="dave@fabrikam.example").exists()
    event = AuditEvent.objects.filter(target_tenant=customer).latest("occurred_at")
    assert event.actor == partner_agent
    assert event.acting_tenant_id == partner_tenant.pk
    assert event.relationship_id == rel.pk


def test_delegated_roles_do_not_reach_other_customers(
    partner_tenant, partner_agent, customer, outsider
):
    grant(partner_tenant, customer, partner_agent, "User Administrator")

    assert not access.resolve(partner_agent, outsider).can_act


# Remove roles (customer side) -------------------------------------------------------------


@pytest.fixture
def partner_user_account(customer, partner_tenant):
    user = UserFactory(email="ext-pat@fabrikam.example")
    MembershipFactory(
        user=user, tenant=customer, partner_tenant=partner_tenant, roles=["Helpdesk Administrator"]
    )
    return user


def test_remove_roles_ends_delegated_access_at_once(
    partner_tenant, partner_agent, customer, customer_admin, partner_user_account
):
    from relationships.models import PartnerRelationship

    rel = grant(partner_tenant, customer, partner_agent, "User Administrator").relationship
    other = DelegatedAdminRelationshipFactory(partner=TenantFactory(), customer=customer)
    kept = PartnerRelationship.objects.create(
        partner=partner_tenant, customer=customer, types=["gdap", "reseller"]
    )

    result = services.remove_partner_roles(
        by=customer_admin, customer=customer, partner_id=partner_tenant.pk
    )

    assert result == {"relationships": 1, "partner_user_accounts": 1}
    rel.refresh_from_db()
    assert rel.status == Status.TERMINATED and rel.ended_at is not None
    assert not access.has_permission(partner_agent, customer, USERS_READ)
    account = Membership.objects.get(tenant=customer, user=partner_user_account)
    assert account.partner_tenant_id == partner_tenant.pk  # the account stays, without roles
    assert not account.roles.exists()
    other.refresh_from_db()
    assert other.status == Status.ACTIVE  # another partner keeps its grant
    assert AuditEvent.objects.filter(action="partner.roles_removed").count() == 1
    kept.refresh_from_db()
    assert kept.ended_at is None and "reseller" in kept.types  # the relationship stays


def test_remove_roles_when_the_partner_holds_none_is_refused(
    partner_tenant, customer, customer_admin
):
    with pytest.raises(InvalidState):
        services.remove_partner_roles(
            by=customer_admin, customer=customer, partner_id=partner_tenant.pk
        )


def test_remove_roles_needs_partners_manage(partner_tenant, partner_agent, customer, plain_member):
    grant(partner_tenant, customer, partner_agent, "User Administrator")

    with pytest.raises(PermissionDenied):
        services.remove_partner_roles(
            by=plain_member, customer=customer, partner_id=partner_tenant.pk
        )
    assert access.has_permission(partner_agent, customer, USERS_READ)


def test_customer_terminates_through_the_api(
    api_as, partner_tenant, partner_agent, customer, billing_admin
):
    rel = grant(partner_tenant, customer, partner_agent, "User Administrator").relationship

    response = api_as(billing_admin).post(
        reverse("api-gdap-requests", args=[customer.pk, rel.pk]),
        {"action": "terminate"},
        format="json",
    )

    assert response.status_code == 201
    assert not access.has_permission(partner_agent, customer, USERS_READ)
    event = AuditEvent.objects.get(action="gdap.terminated")
    assert event.acting_tenant_id == customer.pk
    assert event.after["by"] == "customer"


def test_the_grant_end_is_reported_as_it_stands_now(partner_tenant, partner_agent, customer):
    rel = grant(partner_tenant, customer, partner_agent, "User Administrator").relationship
    at = timezone.now() + timedelta(days=1)

    assert access.resolve(partner_agent, customer, at=at).grants[0].end_at == rel.end_at


def test_a_member_answered_by_their_own_roles_costs_one_query(
    partner_tenant, partner_admin, customer, django_assert_num_queries
):
    """The delegated grants are read only when the membership roles do not answer."""
    with django_assert_num_queries(1):
        assert access.require(partner_admin, partner_tenant, USERS_MANAGE).can_act


def test_a_member_holding_a_permission_only_through_gdap_still_has_it(
    partner_tenant, partner_agent, customer
):
    """Membership first, GDAP when needed: the answer is the one all grants give."""
    MembershipFactory(user=partner_agent, tenant=customer)  # a plain member, no roles
    grant(partner_tenant, customer, partner_agent, "User Administrator")

    tenant_access = access.require(partner_agent, customer, USERS_MANAGE)

    assert tenant_access.is_member and not tenant_access.is_delegated
    assert {g.source for g in tenant_access.grants} == {"gdap"}
    assert [r.name for r in tenant_access.roles()] == ["User Administrator"]
    assert not tenant_access.has_own(USERS_MANAGE)
