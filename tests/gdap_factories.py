"""factory-boy factories for GDAP: delegated admin relationships and access assignments.

DelegatedAdminRelationshipFactory makes an active relationship by default (activated now,
ending after its duration), requesting and approving `roles` (catalog names). `grant()`
gives one partner user roles in a customer tenant through a relationship, a security
group and an access assignment.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from relationships.models import AccessAssignment, DelegatedAdminRelationship
from roles.models import RoleDefinition
from tests.factories import SecurityGroupFactory, TenantFactory

Status = DelegatedAdminRelationship.Status
_STARTED = {Status.ACTIVE, Status.EXPIRED, Status.TERMINATED}


class DelegatedAdminRelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DelegatedAdminRelationship
        skip_postgeneration_save = True

    partner = factory.SubFactory(TenantFactory)
    customer = factory.SubFactory(TenantFactory)
    display_name = factory.Sequence(lambda n: f"Relationship {n}")
    duration = timedelta(days=730)
    auto_extend_duration = timedelta(0)
    status = Status.ACTIVE
    activated_at = factory.LazyAttribute(lambda o: timezone.now() if o.status in _STARTED else None)
    end_at = factory.LazyAttribute(
        lambda o: o.activated_at + o.duration if o.activated_at else None
    )

    @factory.post_generation
    def roles(self, create, names, **kwargs):
        """roles=[...] (catalog names): requested, and approved once started."""
        if not create:
            return
        roles = list(RoleDefinition.objects.filter(name__in=names or ["Helpdesk Administrator"]))
        self.requested_roles.set(roles)
        if self.status in _STARTED:
            self.approved_roles.set(roles)


class AccessAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessAssignment
        skip_postgeneration_save = True

    relationship = factory.SubFactory(DelegatedAdminRelationshipFactory)
    security_group = factory.SubFactory(
        SecurityGroupFactory, tenant=factory.SelfAttribute("..relationship.partner")
    )

    @factory.post_generation
    def roles(self, create, names, **kwargs):
        """roles=[...] (catalog names); by default every approved role of the relationship."""
        if not create:
            return
        if names:
            self.roles.set(RoleDefinition.objects.filter(name__in=names))
        else:
            self.roles.set(self.relationship.approved_roles.all())


def grant(partner, customer, user, *role_names, **relationship_kwargs) -> AccessAssignment:
    """Give user (a member of partner) role_names in customer through GDAP."""
    names = list(role_names) or ["Helpdesk Administrator"]
    rel = DelegatedAdminRelationshipFactory(
        partner=partner, customer=customer, roles=names, **relationship_kwargs
    )
    group = SecurityGroupFactory(tenant=partner, members=[user])
    return AccessAssignmentFactory(relationship=rel, security_group=group)


def require_invitations() -> None:
    """Skip until partners.services.invitations (lockForApproval's invitation) is in the schema."""
    import pytest
    from django.db import connection
    from django.urls import NoReverseMatch, reverse

    pytest.importorskip("partners.services.invitations")
    try:
        reverse("invitation_landing", args=["x"])
    except NoReverseMatch:
        pytest.skip("partners.services.invitations has no approval page yet")
    if "partners_invitation" not in connection.introspection.table_names():
        pytest.skip("partners.services.invitations has no migration yet")
