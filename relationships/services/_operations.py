"""Long-running operations on GDAP relationships: starting one, and the work each kind does.

Private to relationships.services. `start` runs an operation inside the caller's
transaction (the portal and /api/v1, which answer with the result), or leaves it to the
`run_relationship_operation` task after commit (the Graph compatible API, which answers
202 with the operation). `apply` does the work and writes no audit event: the action that
runs it writes the one event.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidState
from core.statemachine import transition
from relationships.models import AccessAssignment, DelegatedAdminRelationship, RelationshipOperation
from relationships.rules import check_auto_extend
from relationships.states import OPERATION_TRANSITIONS

log = logging.getLogger(__name__)
Kind = RelationshipOperation.Kind


def start(operation: RelationshipOperation, *, deferred: bool) -> None:
    """Run the operation now (in the caller's transaction), or queue it for after commit."""
    if deferred:
        transaction.on_commit(lambda: enqueue(operation.pk))
        return
    transition(operation, "start", OPERATION_TRANSITIONS)
    apply(operation)
    transition(operation, "succeed", OPERATION_TRANSITIONS)
    operation.save(update_fields=["status", "last_modified_at"])


def enqueue(operation_id) -> bool:
    """Hand the operation to Celery; with the broker down, the beat job re-queues it."""
    from relationships.tasks import run_relationship_operation

    try:
        run_relationship_operation.apply_async(args=(str(operation_id),), retry=False)
    except Exception:
        log.warning("Could not queue operation %s; it stays pending.", operation_id, exc_info=True)
        return False
    return True


def enqueue_assignment(assignment_id) -> bool:
    """Hand a pending or deleting assignment to Celery (the beat job retries on failure)."""
    from relationships.tasks import complete_access_assignment

    try:
        complete_access_assignment.apply_async(args=(str(assignment_id),), retry=False)
    except Exception:
        log.warning("Could not queue assignment %s; it stays as it is.", assignment_id)
        return False
    return True


def apply(operation: RelationshipOperation) -> None:
    """The work of one operation (rows locked here); InvalidState when it no longer fits."""
    rel = (
        DelegatedAdminRelationship.objects.select_for_update(of=("self",))
        .select_related("partner", "customer")
        .get(pk=operation.relationship_id)
    )
    if rel.status_at(timezone.now()) != DelegatedAdminRelationship.Status.ACTIVE:
        raise InvalidState(_("The relationship is no longer active."))
    if operation.kind == Kind.RELATIONSHIP_UPDATE:
        _remove_roles(rel, set(operation.data.get("remove_role_ids", [])))
    elif operation.kind == Kind.ACCESS_ASSIGNMENT_UPDATE:
        _set_assignment_roles(rel, operation)


def _remove_roles(rel, role_ids: set) -> None:
    """Drop roles from the relationship and from every assignment; an assignment left
    with no role ends."""
    removed = [r for r in rel.approved_roles.all() if str(r.id) in role_ids]
    if removed:
        rel.approved_roles.remove(*removed)
    assignments = AccessAssignment.objects.select_for_update(of=("self",)).filter(relationship=rel)
    for assignment in assignments:
        held = [r for r in assignment.roles.all() if str(r.id) in role_ids]
        if not held:
            continue
        assignment.roles.remove(*held)
        if assignment.roles.exists():
            assignment.save(update_fields=["last_modified_at"])
        else:
            assignment.delete()
    check_auto_extend(rel.auto_extend_duration, rel.approved_roles.all())
    rel.save(update_fields=["last_modified_at"])


def _set_assignment_roles(rel, operation) -> None:
    assignment = (
        AccessAssignment.objects.select_for_update(of=("self",))
        .filter(pk=operation.access_assignment_id, relationship=rel)
        .first()
    )
    if assignment is None or assignment.status != AccessAssignment.Status.ACTIVE:
        raise InvalidState(_("The access assignment is no longer active."))
    approved = {str(r.id): r for r in rel.approved_roles.all()}
    wanted = operation.data.get("role_ids", [])
    if not wanted or any(role_id not in approved for role_id in wanted):
        raise InvalidState(_("Roles must be among the roles the customer approved."))
    assignment.roles.set([approved[role_id] for role_id in wanted])
    assignment.save(update_fields=["last_modified_at"])
