"""Access assignments: a partner security group gets some of a relationship's approved roles.

The portal and /api/v1 complete each change at once. The Graph compatible API asks for
`deferred`, as Microsoft's API works: a new assignment is pending and a removed one
deleting until the `complete_access_assignment` task finishes it, and a change of roles is
an operation that the `run_relationship_operation` task carries out. Only an active
assignment gives its roles (relationships/access.py).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from core.errors import InvalidState, NotFound, ValidationError
from core.scoping import get_in_tenant_or_404
from core.statemachine import transition
from relationships.models import AccessAssignment, RelationshipOperation
from relationships.rules import as_role_ids
from relationships.services import _operations, _steps
from relationships.services.gdap.edits import Status, _lock
from relationships.states import ASSIGNMENT_TRANSITIONS
from roles import access
from roles.permissions import PARTNERS_MANAGE
from tenants.models import SecurityGroup

AssignmentStatus = AccessAssignment.Status


def _approved_subset(rel, role_ids) -> list:
    """The roles asked for, each among the relationship's approved roles (400 otherwise)."""
    approved = {r.id: r for r in rel.approved_roles.all()}
    role_ids = as_role_ids(role_ids)
    if not role_ids or any(i not in approved for i in role_ids):
        raise ValidationError(
            _("Roles must be among the roles the customer approved."),
            errors={"access_details": [_("Not an approved role of this relationship.")]},
        )
    return [approved[i] for i in role_ids]


def _require_active(rel) -> None:
    if rel.status_at(timezone.now()) != Status.ACTIVE:
        raise InvalidState(_("Access can be assigned only while the relationship is active."))


def _lock_assignment(rel, assignment_id) -> AccessAssignment:
    return get_in_tenant_or_404(
        AccessAssignment.objects.select_for_update(of=("self",)).select_related("security_group"),
        rel,
        tenant_field="relationship",
        pk=assignment_id,
    )


@transaction.atomic
def create_access_assignment(
    *, by, partner, relationship_id, security_group_id, role_ids, deferred: bool = False
) -> AccessAssignment:
    """Give a partner security group some of the relationship's approved roles."""
    by_access = access.require_own(by, partner, PARTNERS_MANAGE)
    rel = _lock(partner, relationship_id)
    _require_active(rel)
    group = get_in_tenant_or_404(SecurityGroup.objects.all(), partner, pk=security_group_id)
    roles = _approved_subset(rel, role_ids)
    status = AssignmentStatus.PENDING if deferred else AssignmentStatus.ACTIVE
    try:
        with transaction.atomic():
            assignment = AccessAssignment.objects.create(
                relationship=rel, security_group=group, status=status
            )
    except IntegrityError:
        raise ValidationError(
            _("This group already has an assignment in this relationship."),
            errors={"access_container": [_("Already assigned.")]},
        ) from None
    assignment.roles.set(roles)
    record(
        "gdap.access_assigned",
        actor=by,
        target_tenant=rel.customer,
        acting_tenant=partner,
        obj=assignment,
        after={
            "group": group.name,
            "roles": [r.name for r in roles],
            "relationship": str(rel.pk),
            "status": status,
        },
        access=by_access,
    )
    if deferred:
        transaction.on_commit(lambda: _operations.enqueue_assignment(assignment.pk))
    return assignment


@transaction.atomic
def update_access_assignment(
    *,
    by,
    partner,
    relationship_id,
    assignment_id,
    role_ids,
    expected_version=None,
    deferred: bool = False,
) -> tuple[AccessAssignment, RelationshipOperation | None]:
    """Change the roles of an active assignment: an operation, run at once or (deferred)
    by a task. The same roles again change nothing and make no operation."""
    by_access = access.require_own(by, partner, PARTNERS_MANAGE)
    rel = _lock(partner, relationship_id)
    assignment = _lock_assignment(rel, assignment_id)
    _steps.check_version(assignment, expected_version)
    _require_active(rel)
    if assignment.status != AssignmentStatus.ACTIVE:
        raise InvalidState(_("Only an active access assignment can be changed."))
    roles = _approved_subset(rel, role_ids)
    before = sorted(str(r.id) for r in assignment.roles.all())
    if before == sorted(str(r.id) for r in roles):
        return assignment, None
    operation = RelationshipOperation.objects.create(
        relationship=rel,
        access_assignment=assignment,
        kind=RelationshipOperation.Kind.ACCESS_ASSIGNMENT_UPDATE,
        data={"role_ids": [str(r.id) for r in roles]},
        requested_by=by,
    )
    record(
        "gdap.access_changed",
        actor=by,
        target_tenant=rel.customer,
        acting_tenant=partner,
        obj=assignment,
        before={"roles": before},
        after={"roles": [str(r.id) for r in roles], "operation": str(operation.pk)},
        access=by_access,
    )
    _operations.start(operation, deferred=deferred)
    return assignment, operation


@transaction.atomic
def delete_access_assignment(
    *, by, partner, relationship_id, assignment_id, expected_version=None, deferred: bool = False
) -> None:
    """Remove a group's access in a relationship (it stops giving roles at once)."""
    by_access = access.require_own(by, partner, PARTNERS_MANAGE)
    rel = _lock(partner, relationship_id)
    assignment = _lock_assignment(rel, assignment_id)
    _steps.check_version(assignment, expected_version)
    if assignment.status == AssignmentStatus.DELETING:
        return  # already being removed
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
    if not deferred:
        assignment.delete()
        return
    transition(assignment, "remove", ASSIGNMENT_TRANSITIONS)
    assignment.save(update_fields=["status", "last_modified_at"])
    transaction.on_commit(lambda: _operations.enqueue_assignment(assignment.pk))


@transaction.atomic
def complete_access_assignment(*, assignment_id) -> str | None:
    """Task (system): activate a pending assignment, or end one being removed.

    A pending assignment whose relationship ended meanwhile becomes error. Returns the
    status reached (None once removed); a second run changes nothing.
    """
    assignment = (
        AccessAssignment.objects.select_for_update(of=("self",))
        .select_related("relationship", "security_group")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        return None
    rel = assignment.relationship
    if assignment.status == AssignmentStatus.PENDING:
        active = rel.status_at(timezone.now()) == Status.ACTIVE
        transition(assignment, "activate" if active else "fail", ASSIGNMENT_TRANSITIONS)
        assignment.save(update_fields=["status", "last_modified_at"])
        record(
            "gdap.access_provisioned",
            target_tenant=rel.customer_id,
            acting_tenant=rel.partner_id,
            obj=assignment,
            before={"status": AssignmentStatus.PENDING},
            after={"status": assignment.status},
            system=True,
        )
        return assignment.status
    if assignment.status == AssignmentStatus.DELETING:
        record(
            "gdap.access_deprovisioned",
            target_tenant=rel.customer_id,
            acting_tenant=rel.partner_id,
            obj=assignment,
            before={"status": AssignmentStatus.DELETING, "group": assignment.security_group.name},
            system=True,
        )
        assignment.delete()
        return None
    return assignment.status


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
