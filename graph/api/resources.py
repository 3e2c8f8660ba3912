"""Liaison's objects as Graph's resources: the JSON of each, Graph's enums, and what its
lists may filter, sort and select (the OData field maps).

Statuses. Liaison's delegated admin relationship moves created -> approval_pending ->
active -> expired | terminated, and approval_pending -> declined | expired. Graph's enum
has more steps because Microsoft provisions in the background; Liaison's steps take
effect at once, so some of Graph's members never appear:

    Liaison                          Graph
    created                          created
    approval_pending                 approvalPending
    active                           active
    active, past its end             expired (access ends at endDateTime, sweep or not)
    expired                          expired
    terminated                       terminated
    declined                         terminated (Graph has no declined: the customer ended
                                     it before it began; /api/v1 tells them apart)
    (never)                          approved, activating, expiring, terminationRequested,
                                     terminating

Graph's "expiring" means past its end with access being removed; Liaison removes access
at the end itself, so nothing is ever expiring (and Liaison's own is_expiring flag, "ends
within 30 days", is not Graph's expiring).
"""

import json
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from django.db.models import Case, CharField, F, Value, When

from core.durations import format_iso_duration
from core.odata import as_datetime, as_duration, as_enum, as_guid, as_string
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


def _roles(roles) -> dict:
    return {"unifiedRoles": [{"roleDefinitionId": str(r.id)} for r in roles]}


def _db_map(source: str, mapping: dict) -> Case:
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


# delegatedAdminRelationship ----------------------------------------------------------------


def relationship_status(rel, at) -> str:
    return RELATIONSHIP_STATUS[rel.status_at(at)]


def relationship_end(rel, at):
    """endDateTime: when it ended (terminated, declined) or ends (expiry, auto-extended)."""
    if rel.status in (Status.TERMINATED, Status.DECLINED):
        return rel.ended_at
    return rel.effective_end(at)


def relationship_json(rel, *, at, etag) -> dict:
    roles = list(rel.approved_roles.all()) or list(rel.requested_roles.all())
    customer = (
        {"tenantId": str(rel.customer_id), "displayName": rel.customer.name}
        if rel.customer_id
        else None
    )
    return {
        "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
        "@odata.etag": etag,
        "id": str(rel.pk),
        "displayName": rel.display_name,
        "duration": format_iso_duration(rel.duration),
        "customer": customer,
        "accessDetails": _roles(roles),
        "status": relationship_status(rel, at),
        "autoExtendDuration": format_iso_duration(rel.auto_extend_duration),
        "createdDateTime": timestamp(rel.created_at),
        "lastModifiedDateTime": timestamp(rel.last_modified_at),
        "activatedDateTime": timestamp(rel.activated_at),
        "endDateTime": timestamp(relationship_end(rel, at)),
    }


def with_graph_status(qs):
    """Annotate `graph_status` (from selectors' `status_now`) for $filter and $orderby."""
    return qs.annotate(graph_status=_db_map("status_now", RELATIONSHIP_STATUS))


RELATIONSHIP = Resource(
    type_name="microsoft.graph.delegatedAdminRelationship",
    properties=(
        "id",
        "displayName",
        "duration",
        "customer",
        "accessDetails",
        "status",
        "autoExtendDuration",
        "createdDateTime",
        "lastModifiedDateTime",
        "activatedDateTime",
        "endDateTime",
    ),
    filters={
        "id": ("pk", as_guid),
        "displayName": ("display_name", as_string),
        "status": ("graph_status", as_enum({s: s for s in GRAPH_RELATIONSHIP_STATUSES})),
        "customer/tenantId": ("customer_id", as_guid),
        "customer/displayName": ("customer__name", as_string),
        "duration": ("duration", as_duration),
        "autoExtendDuration": ("auto_extend_duration", as_duration),
        "createdDateTime": ("created_at", as_datetime),
        "lastModifiedDateTime": ("last_modified_at", as_datetime),
        "activatedDateTime": ("activated_at", as_datetime),
        "endDateTime": ("end_at", as_datetime),
    },
    sortable={
        "id": "pk",
        "displayName": "display_name",
        "status": "graph_status",
        "customer/displayName": "customer__name",
        "duration": "duration",
        "autoExtendDuration": "auto_extend_duration",
        "createdDateTime": "created_at",
        "lastModifiedDateTime": "last_modified_at",
        "activatedDateTime": "activated_at",
        "endDateTime": "end_at",
    },
)


# delegatedAdminRelationshipRequest ----------------------------------------------------------


def request_json(request_row, *, etag, approval_url: str | None = None) -> dict:
    body = {
        "@odata.type": "#microsoft.graph.delegatedAdminRelationshipRequest",
        "@odata.etag": etag,
        "id": str(request_row.pk),
        "action": REQUEST_ACTION[request_row.action],
        "status": REQUEST_STATUS[request_row.status],
        "createdDateTime": timestamp(request_row.created_at),
        "lastModifiedDateTime": timestamp(request_row.last_modified_at),
    }
    if approval_url:
        # Not in Graph's schema: the customer's approval page (SDKs keep it in additional_data).
        body["approvalUrl"] = approval_url
    return body


REQUEST = Resource(
    type_name="microsoft.graph.delegatedAdminRelationshipRequest",
    properties=("id", "action", "status", "createdDateTime", "lastModifiedDateTime"),
    filters={
        "id": ("pk", as_guid),
        "action": ("action", as_enum({v: k for k, v in REQUEST_ACTION.items()})),
        "status": ("status", as_enum({v: k for k, v in REQUEST_STATUS.items()})),
        "createdDateTime": ("created_at", as_datetime),
        "lastModifiedDateTime": ("last_modified_at", as_datetime),
    },
    sortable={
        "id": "pk",
        "action": "action",
        "status": "status",
        "createdDateTime": "created_at",
        "lastModifiedDateTime": "last_modified_at",
    },
)


# delegatedAdminRelationshipOperation --------------------------------------------------------


def operation_type(operation, *, include_evolvable: bool) -> str:
    value = OPERATION_TYPE[operation.kind]
    if value in EVOLVABLE_OPERATION_TYPES and not include_evolvable:
        return "unknownFutureValue"
    return value


def _compact(value) -> str:
    return json.dumps(value, separators=(",", ":"))


def operation_data(operation) -> str:
    """Graph's `data`: the JSON (as a string) of the object as the operation leaves it."""
    if operation.kind == RelationshipOperation.Kind.ACCESS_ASSIGNMENT_UPDATE:
        return _compact(
            {
                "id": str(operation.access_assignment_id)
                if operation.access_assignment_id
                else None,
                "accessDetails": {
                    "unifiedRoles": [
                        {"roleDefinitionId": role_id}
                        for role_id in operation.data.get("role_ids", [])
                    ]
                },
            }
        )
    return _compact(
        {
            "id": str(operation.relationship_id),
            "accessDetails": {
                "unifiedRoles": [
                    {"roleDefinitionId": role_id} for role_id in operation.data.get("role_ids", [])
                ]
            },
        }
    )


def operation_json(operation, *, etag, include_evolvable: bool) -> dict:
    return {
        "@odata.type": "#microsoft.graph.delegatedAdminRelationshipOperation",
        "@odata.etag": etag,
        "id": str(operation.pk),
        "operationType": operation_type(operation, include_evolvable=include_evolvable),
        "data": operation_data(operation),
        "status": OPERATION_STATUS[operation.status],
        "createdDateTime": timestamp(operation.created_at),
        "lastModifiedDateTime": timestamp(operation.last_modified_at),
    }


OPERATION = Resource(
    type_name="microsoft.graph.delegatedAdminRelationshipOperation",
    properties=(
        "id",
        "operationType",
        "data",
        "status",
        "createdDateTime",
        "lastModifiedDateTime",
    ),
    filters={
        "id": ("pk", as_guid),
        "operationType": ("kind", as_enum({v: k for k, v in OPERATION_TYPE.items()})),
        "status": ("status", as_enum({v: k for k, v in OPERATION_STATUS.items()})),
        "createdDateTime": ("created_at", as_datetime),
        "lastModifiedDateTime": ("last_modified_at", as_datetime),
    },
    sortable={
        "id": "pk",
        "operationType": "kind",
        "status": "status",
        "createdDateTime": "created_at",
        "lastModifiedDateTime": "last_modified_at",
    },
)


# delegatedAdminAccessAssignment -------------------------------------------------------------


def assignment_json(assignment, *, etag) -> dict:
    return {
        "@odata.type": "#microsoft.graph.delegatedAdminAccessAssignment",
        "@odata.etag": etag,
        "id": str(assignment.pk),
        "status": ASSIGNMENT_STATUS[assignment.status],
        "accessContainer": {
            "accessContainerId": str(assignment.security_group_id),
            "accessContainerType": "securityGroup",
        },
        "accessDetails": _roles(assignment.roles.all()),
        "createdDateTime": timestamp(assignment.created_at),
        "lastModifiedDateTime": timestamp(assignment.last_modified_at),
    }


ASSIGNMENT = Resource(
    type_name="microsoft.graph.delegatedAdminAccessAssignment",
    properties=(
        "id",
        "status",
        "accessContainer",
        "accessDetails",
        "createdDateTime",
        "lastModifiedDateTime",
    ),
    filters={
        "id": ("pk", as_guid),
        "status": (
            "status",
            as_enum({v: k for k, v in ASSIGNMENT_STATUS.items()} | {"deleted": "deleted"}),
        ),
        "accessContainer/accessContainerId": ("security_group_id", as_guid),
        "createdDateTime": ("created_at", as_datetime),
        "lastModifiedDateTime": ("last_modified_at", as_datetime),
    },
    sortable={
        "id": "pk",
        "status": "status",
        "createdDateTime": "created_at",
        "lastModifiedDateTime": "last_modified_at",
    },
)


# delegatedAdminCustomer and its serviceManagementDetails ------------------------------------


def customer_json(tenant, *, etag) -> dict:
    return {
        "@odata.type": "#microsoft.graph.delegatedAdminCustomer",
        "@odata.etag": etag,
        "id": str(tenant.pk),
        "tenantId": str(tenant.pk),
        "displayName": tenant.name,
    }


CUSTOMER = Resource(
    type_name="microsoft.graph.delegatedAdminCustomer",
    properties=("id", "tenantId", "displayName"),
    filters={
        "id": ("pk", as_guid),
        "tenantId": ("pk", as_guid),
        "displayName": ("name", as_string),
    },
    sortable={"id": "pk", "tenantId": "pk", "displayName": "name"},
    default_order=(("name", False),),
)


def service_management_detail_json(detail_id, name, url) -> dict:
    return {
        "@odata.type": "#microsoft.graph.delegatedAdminServiceManagementDetail",
        "id": str(detail_id),
        "serviceName": str(name),
        "serviceManagementUrl": url,
    }
