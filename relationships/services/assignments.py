"""Access assignments: a partner security group gets some of a relationship's approved roles."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from core.errors import InvalidState, NotFound, ValidationError
from core.scoping import get_in_tenant_or_404
from relationships.models import AccessAssignment
from relationships.services.gdap import Status, _lock
from roles import access
from roles.permissions import PARTNERS_MANAGE
from tenants.models import SecurityGroup


@transaction.atomic
def create_access_assignment(
    *, by, partner, relationship_id, security_group_id, role_ids
) -> AccessAssignment:
    """Give a partner security group some of the relationship's approved roles."""
    by_access = access.require_own(by, partner, PARTNERS_MANAGE)
    rel = _lock(partner, relationship_id)
    if rel.status_at(timezone.now()) != Status.ACTIVE:
        raise InvalidState(_("Access can be assigned only while the relationship is active."))
    group = get_in_tenant_or_404(SecurityGroup.objects.all(), partner, pk=security_group_id)
    approved = {r.id: r for r in rel.approved_roles.all()}
    role_ids = list(dict.fromkeys(role_ids or []))
    if not role_ids or any(i not in approved for i in role_ids):
        raise ValidationError(
            _("Roles must be among the roles the customer approved."),
            errors={"access_details": [_("Not an approved role of this relationship.")]},
        )
    try:
        with transaction.atomic():
            assignment = AccessAssignment.objects.create(relationship=rel, security_group=group)
    except IntegrityError:
        raise ValidationError(
            _("This group already has an assignment in this relationship."),
            errors={"access_container": [_("Already assigned.")]},
        ) from None
    roles = [approved[i] for i in role_ids]
    assignment.roles.set(roles)
    record(
        "gdap.access_assigned",
        actor=by,
        target_tenant=rel.customer,
        acting_tenant=partner,
        obj=assignment,
        after={"group": group.name, "roles": [r.name for r in roles], "relationship": str(rel.pk)},
        access=by_access,
    )
    return assignment


@transaction.atomic
def delete_access_assignment(*, by, partner, relationship_id, assignment_id) -> None:
    """Remove a group's access in a relationship."""
    by_access = access.require_own(by, partner, PARTNERS_MANAGE)
    rel = _lock(partner, relationship_id)
    assignment = get_in_tenant_or_404(
        AccessAssignment.objects.select_related("security_group"),
        rel,
        tenant_field="relationship",
        pk=assignment_id,
    )
    record(
        "gdap.access_removed",
        actor=by,
        target_tenant=rel.customer,
        acting_tenant=partner,
        obj=assignment,
        before={
            "group": assignment.security_group.name,
            "roles": sorted(r.name for r in assignment.roles.all()),
        },
        access=by_access,
    )
    assignment.delete()


@transaction.atomic
def revoke_access_assignment_as_support(*, by, assignment_id) -> None:
    """Support staff take a partner group's access away (on the customer's request)."""
    access.require_staff(by, "relationships.change_accessassignment")
    assignment = (
        AccessAssignment.objects.select_for_update(of=("self",))
        .select_related("security_group", "relationship__customer", "relationship__partner")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise NotFound()
    rel = assignment.relationship
    record(
        "gdap.access_removed",
        actor=by,
        target_tenant=rel.customer,
        obj=assignment,
        before={
            "group": assignment.security_group.name,
            "roles": sorted(r.name for r in assignment.roles.all()),
        },
        after={"by": "support"},
    )
    assignment.delete()
