"""delegatedAdminRelationship, its requests and its operations as Graph's JSON and lists."""

import json

from core.durations import format_iso_duration
from core.odata import as_datetime, as_duration, as_enum, as_guid, as_string
from graph.api.resources.common import (
    EVOLVABLE_OPERATION_TYPES,
    GRAPH_RELATIONSHIP_STATUSES,
    OPERATION_STATUS,
    OPERATION_TYPE,
    RELATIONSHIP_STATUS,
    REQUEST_ACTION,
    REQUEST_STATUS,
    Resource,
    Status,
    db_map,
    roles_json,
    timestamp,
)
from relationships.models import (
    RelationshipOperation,
)

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
        "accessDetails": roles_json(roles),
        "status": relationship_status(rel, at),
        "autoExtendDuration": format_iso_duration(rel.auto_extend_duration),
        "createdDateTime": timestamp(rel.created_at),
        "lastModifiedDateTime": timestamp(rel.last_modified_at),
        "activatedDateTime": timestamp(rel.activated_at),
        "endDateTime": timestamp(relationship_end(rel, at)),
    }


def with_graph_status(qs):
    """Annotate `graph_status` (from selectors' `status_now`) for $filter and $orderby."""
    return qs.annotate(graph_status=db_map("status_now", RELATIONSHIP_STATUS))


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
