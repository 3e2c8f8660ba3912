"""delegatedAdminAccessAssignment, delegatedAdminCustomer and its serviceManagementDetails
as Graph's JSON and lists."""

from core.odata import as_datetime, as_enum, as_guid, as_string
from graph.api.resources.common import (
    ASSIGNMENT_STATUS,
    Resource,
    roles_json,
    timestamp,
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
        "accessDetails": roles_json(assignment.roles.all()),
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
