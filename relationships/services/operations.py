"""The background half of the Graph compatible API's long-running work.

run_operation (the `run_relationship_operation` task) carries out one operation in two
steps, as the outbox sender does: claim it (not started -> running) and commit, then do
the work and record the result (succeeded or failed) with its one audit event. A worker
that dies in between leaves it running; a second run picks it up again. The work sets
roles to a target, so doing it twice changes nothing more.

resume_pending (a beat job) queues again what a broker outage left behind.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from audit.services import record
from core.errors import DomainError
from core.statemachine import transition
from relationships.models import AccessAssignment, RelationshipOperation
from relationships.services import _operations
from relationships.states import OPERATION_TRANSITIONS

OperationStatus = RelationshipOperation.Status
DONE = {OperationStatus.SUCCEEDED, OperationStatus.FAILED}


def _locked(operation_id) -> RelationshipOperation | None:
    return (
        RelationshipOperation.objects.select_for_update(of=("self",))
        .select_related("relationship")
        .filter(pk=operation_id)
        .first()
    )


def run_operation(*, operation_id) -> str | None:
    """Task (system): claim, then complete, one operation; returns its final status."""
    with transaction.atomic():
        operation = _locked(operation_id)
        if operation is None or operation.status in DONE:
            return operation.status if operation else None
        if operation.status == OperationStatus.NOT_STARTED:
            transition(operation, "start", OPERATION_TRANSITIONS)
            operation.save(update_fields=["status", "last_modified_at"])
    try:
        with transaction.atomic():
            operation = _locked(operation_id)
            if operation is None or operation.status != OperationStatus.RUNNING:
                return operation.status if operation else None
            _operations.apply(operation)
            _finish(operation, "succeed")
    except DomainError as exc:
        with transaction.atomic():
            operation = _locked(operation_id)
            if operation is None or operation.status != OperationStatus.RUNNING:
                return operation.status if operation else None
            operation.error = exc.detail
            _finish(operation, "fail")
    return operation.status


def _finish(operation, event: str) -> None:
    transition(operation, event, OPERATION_TRANSITIONS)
    operation.save(update_fields=["status", "error", "last_modified_at"])
    rel = operation.relationship
    record(
        "gdap.operation_completed" if event == "succeed" else "gdap.operation_failed",
        target_tenant=rel.customer_id,
        acting_tenant=rel.partner_id,
        obj=operation,
        before={"status": OperationStatus.RUNNING},
        after={
            "status": operation.status,
            "kind": operation.kind,
            "relationship": str(rel.pk),
            "error": operation.error,
        },
        system=True,
    )


def resume_pending(*, older_than: timedelta = timedelta(minutes=2), limit: int = 500) -> int:
    """Beat job: queue again operations and assignments still waiting for their task."""
    before = timezone.now() - older_than
    operations = list(
        RelationshipOperation.objects.filter(
            status__in=[OperationStatus.NOT_STARTED, OperationStatus.RUNNING],
            last_modified_at__lte=before,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    assignments = list(
        AccessAssignment.objects.filter(
            status__in=[AccessAssignment.Status.PENDING, AccessAssignment.Status.DELETING],
            last_modified_at__lte=before,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for assignment_id in assignments:  # first: an operation may wait for its assignment
        _operations.enqueue_assignment(assignment_id)
    for operation_id in operations:
        _operations.enqueue(operation_id)
    return len(operations) + len(assignments)
