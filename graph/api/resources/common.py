"""Graph's enums as Liaison's values (statuses, actions, operation types), the timestamp
format, and what a Graph list of a resource may filter, sort and select (Resource)."""

from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from django.db.models import Case, CharField, F, Value, When

from relationships.models import (
    AccessAssignment,
    DelegatedAdminRelationship,
    RelationshipOperation,
    RelationshipRequest,
)

Status = DelegatedAdminRelationship.Status

RELATIONSHIP_STATUS = {
    Status.CREATED: "created",
    Status.APPROVAL_PENDING: "approvalPending",
    Status.ACTIVE: "active",
    Status.EXPIRED: "expired",
    Status.TERMINATED: "terminated",
    Status.DECLINED: "terminated",
}
GRAPH_RELATIONSHIP_STATUSES = (
    "activating",
    "active",
    "approvalPending",
    "approved",
    "created",
    "expired",
    "expiring",
    "terminated",
    "terminating",
    "terminationRequested",
    "unknownFutureValue",
)
REQUEST_ACTION = {
    RelationshipRequest.Action.LOCK_FOR_APPROVAL: "lockForApproval",
    RelationshipRequest.Action.TERMINATE: "terminate",
}
GRAPH_REQUEST_ACTIONS = ("lockForApproval", "approve", "terminate", "unknownFutureValue", "reject")
REQUEST_STATUS = {
    RelationshipRequest.Status.CREATED: "created",
    RelationshipRequest.Status.PENDING: "pending",
    RelationshipRequest.Status.SUCCEEDED: "succeeded",
    RelationshipRequest.Status.FAILED: "failed",
}
OPERATION_TYPE = {
    RelationshipOperation.Kind.ACCESS_ASSIGNMENT_UPDATE: "delegatedAdminAccessAssignmentUpdate",
    RelationshipOperation.Kind.RELATIONSHIP_UPDATE: "delegatedAdminRelationshipUpdate",
}
# Evolvable enum members after unknownFutureValue: sent only to callers that ask for them
# with "Prefer: include-unknown-enum-members", as Graph does.
EVOLVABLE_OPERATION_TYPES = {"delegatedAdminRelationshipUpdate"}
OPERATION_STATUS = {
    RelationshipOperation.Status.NOT_STARTED: "notStarted",
    RelationshipOperation.Status.RUNNING: "running",
    RelationshipOperation.Status.SUCCEEDED: "succeeded",
    RelationshipOperation.Status.FAILED: "failed",
}
ASSIGNMENT_STATUS = {
    AccessAssignment.Status.PENDING: "pending",
    AccessAssignment.Status.ACTIVE: "active",
    AccessAssignment.Status.DELETING: "deleting",
    AccessAssignment.Status.ERROR: "error",
}
GRAPH_ASSIGNMENT_STATUSES = ("pending", "active", "deleting", "deleted", "error")


def timestamp(value) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def roles_json(roles) -> dict:
    return {"unifiedRoles": [{"roleDefinitionId": str(r.id)} for r in roles]}


def db_map(source: str, mapping: dict) -> Case:
    """SQL for a Liaison value -> Graph value mapping, for $filter and $orderby."""
    return Case(
        *[When(**{source: liaison}, then=Value(graph)) for liaison, graph in mapping.items()],
        default=F(source),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class Resource:
    """What a Graph list of this resource may filter on, sort by and select."""

    type_name: str
    properties: tuple[str, ...]
    filters: dict[str, Any] = field(default_factory=dict)
    sortable: dict[str, str] = field(default_factory=dict)
    default_order: tuple[tuple[str, bool], ...] = (("created_at", False),)
