"""What relationships give, as the access resolver's sources (installed by apps.py).

Delegated grants: roles a partner's staff hold in a customer through GDAP. For every
active relationship of the customer whose end is still ahead at `at` (or that
auto-extends), the roles of the active access assignments (not one still pending or being
removed) whose security group holds the user.
Expiry is enforced here, at check time: past its end a grant gives nothing, whether or not
the sweep has run. One query.

Type capabilities: what a relationship type in force lets the partner's managers do in
the customer tenant (reseller, OEM, ...), decided in the resolver like roles. One query.
"""

from datetime import timedelta

from django.db.models import F, Q

from relationships.models import (
    AccessAssignment,
    DelegatedAdminRelationship,
    PartnerRelationship,
    extended_end,
)
from roles import access, signals
from roles.access import Capability, EndedAccess, RoleGrant
from roles.permissions import PARTNERS_MANAGE, TYPE_CAPABILITIES, role_ids_granting
from tenants.models import Tenant

GDAP = "gdap"


def delegated_grants(user, tenant_id, at) -> list[RoleGrant]:
    rows = (
        AccessAssignment.objects.filter(
            relationship__customer_id=tenant_id,
            relationship__status=DelegatedAdminRelationship.Status.ACTIVE,
            status=AccessAssignment.Status.ACTIVE,
            relationship__activated_at__lte=at,
            security_group__members=user,
            # The group must belong to the relationship's partner, never to another tenant.
            security_group__tenant_id=F("relationship__partner_id"),
        )
        .filter(
            Q(relationship__end_at__gt=at) | Q(relationship__auto_extend_duration__gt=timedelta(0))
        )
        .values_list(
            "roles__id",
            "relationship_id",
            "relationship__partner_id",
            "relationship__end_at",
            "relationship__auto_extend_duration",
        )
    )
    grants = []
    for role_id, rel_id, partner_id, end_at, auto_extend in rows:
        if role_id is None:
            continue
        grants.append(
            RoleGrant(
                role_id=role_id,
                source=GDAP,
                relationship_id=rel_id,
                partner_tenant_id=partner_id,
                end_at=extended_end(end_at, auto_extend, at),
            )
        )
    return grants


def delegated_grants_everywhere(user, at) -> list:
    """(customer tenant, RoleGrant) for every tenant the user reaches through GDAP (one query).

    The tenants are light instances (id and name), enough for the switcher and GET /me.
    """
    rows = (
        AccessAssignment.objects.filter(
            relationship__status=DelegatedAdminRelationship.Status.ACTIVE,
            status=AccessAssignment.Status.ACTIVE,
            relationship__activated_at__lte=at,
            security_group__members=user,
            security_group__tenant_id=F("relationship__partner_id"),
            roles__isnull=False,
        )
        .filter(
            Q(relationship__end_at__gt=at) | Q(relationship__auto_extend_duration__gt=timedelta(0))
        )
        .values_list(
            "relationship__customer_id",
            "relationship__customer__name",
            "roles__id",
            "relationship_id",
            "relationship__partner_id",
            "relationship__end_at",
            "relationship__auto_extend_duration",
        )
    )
    tenants: dict = {}
    result = []
    for customer_id, name, role_id, rel_id, partner_id, end_at, auto_extend in rows:
        tenant = tenants.setdefault(customer_id, Tenant(id=customer_id, name=name))
        grant = RoleGrant(
            role_id=role_id,
            source=GDAP,
            relationship_id=rel_id,
            partner_tenant_id=partner_id,
            end_at=extended_end(end_at, auto_extend, at),
        )
        result.append((tenant, grant))
    return result


ENDED_LOOKBACK = 50  # the most recent ended relationships considered


def ended_grants(user, tenant_id, at) -> list[EndedAccess]:
    """The resolver's ended source: relationships through which the user, still a member of
    the partner, held roles in the customer (an assignment to a group of theirs) and that
    are over at `at`: terminated, expired, or past their end with no auto-extend (one query)."""
    Status = DelegatedAdminRelationship.Status
    over = Q(relationship__status__in=[Status.EXPIRED, Status.TERMINATED]) | Q(
        relationship__status=Status.ACTIVE,
        relationship__auto_extend_duration=timedelta(0),
        relationship__end_at__lte=at,
    )
    rows = (
        AccessAssignment.objects.filter(
            relationship__customer_id=tenant_id,
            relationship__activated_at__isnull=False,
            security_group__members=user,
            security_group__tenant_id=F("relationship__partner_id"),
            relationship__partner__memberships__user=user,
        )
        .filter(over)
        .values_list(
            "relationship_id",
            "relationship__display_name",
            "relationship__partner_id",
            "relationship__partner__name",
            "relationship__status",
            "relationship__end_at",
            "relationship__ended_at",
        )
        .order_by("-relationship__end_at")[:ENDED_LOOKBACK]
    )
    found = {}
    for rel_id, name, partner_id, partner_name, status, end_at, ended_at in rows:
        rel = DelegatedAdminRelationship(
            status=status, end_at=end_at, ended_at=ended_at, auto_extend_duration=timedelta(0)
        )
        how = "terminated" if status == Status.TERMINATED else "expired"
        found[rel_id] = EndedAccess(
            partner_tenant_id=partner_id,
            partner_name=partner_name,
            relationship_id=rel_id,
            relationship_name=name,
            ended_at=rel.real_end(at),
            how=how,
        )
    return list(found.values())


def type_capabilities(user, tenant_id, at) -> list:
    """The resolver's capability source: relationship types in force between the customer
    and the partners whose partners.manage the user holds (one query)."""
    managing = role_ids_granting(PARTNERS_MANAGE)
    rows = (
        PartnerRelationship.objects.filter(
            customer_id=tenant_id,
            partner__memberships__user=user,
            partner__memberships__roles__id__in=managing,
        )
        .exclude(types=[])
        .values_list("partner_id", "types")
        .distinct()
    )
    return [
        Capability(permission=perm, partner_tenant_id=partner_id, relationship_type=code)
        for partner_id, codes in rows
        for code in codes
        for perm in TYPE_CAPABILITIES.get(code, ())
    ]


def partners_in_force(tenant_id, partner_ids, at) -> set:
    """The resolver's delegation check: which of partner_ids hold GDAP in tenant at `at`."""
    return set(
        DelegatedAdminRelationship.objects.filter(
            customer_id=tenant_id,
            partner_id__in=list(partner_ids),
            status=DelegatedAdminRelationship.Status.ACTIVE,
            activated_at__lte=at,
        )
        .filter(Q(end_at__gt=at) | Q(auto_extend_duration__gt=timedelta(0)))
        .values_list("partner_id", flat=True)
    )


def install() -> None:
    """Register the sources with the resolver, and the models whose changes it must see."""
    if delegated_grants not in access.SOURCES:
        access.SOURCES.append(delegated_grants)
        access.REACH_SOURCES.append(delegated_grants_everywhere)
        access.CAPABILITY_SOURCES.append(type_capabilities)
        access.ENDED_SOURCES.append(ended_grants)
        access.DELEGATION_CHECKS.append(partners_in_force)
    signals.watch(PartnerRelationship, DelegatedAdminRelationship, AccessAssignment)
    signals.watch_m2m(
        AccessAssignment.roles.through, DelegatedAdminRelationship.approved_roles.through
    )
