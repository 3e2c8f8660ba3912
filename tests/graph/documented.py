"""Microsoft Learn's documented responses for the GDAP resources of Graph v1.0, as shapes.

Each entry restates one documented example response (the page named in `source`): its
@odata.context fragment, each property with the type of its value, and the enums the
resource pages list. Values are described, not copied: "guid", "timestamp", a set of enum
members, a nested shape. `truncated` examples ("might be shortened for readability") only
require their properties to be present; the others must match property for property.
A truncated example's `full` is the resource's whole shape, which the rest must match.
`extras` names the properties Liaison adds on purpose (the SDKs keep unknown properties).
"""

LEARN = "https://learn.microsoft.com/graph/api"

RELATIONSHIP_STATUS = {
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
}
REQUEST_ACTION = {"lockForApproval", "approve", "terminate", "unknownFutureValue", "reject"}
REQUEST_STATUS = {"created", "pending", "succeeded", "failed", "unknownFutureValue"}
OPERATION_TYPE = {
    "delegatedAdminAccessAssignmentUpdate",
    "unknownFutureValue",
    "delegatedAdminRelationshipUpdate",
}
OPERATION_STATUS = {"notStarted", "running", "succeeded", "failed", "unknownFutureValue"}
ASSIGNMENT_STATUS = {"pending", "active", "deleting", "deleted", "error", "unknownFutureValue"}

ROLES = {"unifiedRoles": [{"roleDefinitionId": "guid"}]}

RELATIONSHIP = {
    "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
    "@odata.etag": "etag",
    "id": "string",
    "displayName": "string",
    "duration": "duration",
    "customer": {"tenantId": "guid", "displayName": "string"},
    "accessDetails": ROLES,
    "status": RELATIONSHIP_STATUS,
    "autoExtendDuration": "duration",
    "createdDateTime": "timestamp",
    "lastModifiedDateTime": "timestamp",
    "activatedDateTime": "timestamp?",
    "endDateTime": "timestamp?",
}
REQUEST = {
    "@odata.type": "#microsoft.graph.delegatedAdminRelationshipRequest",
    "@odata.etag": "etag",
    "id": "string",
    "action": REQUEST_ACTION,
    "status": REQUEST_STATUS,
    "createdDateTime": "timestamp",
    "lastModifiedDateTime": "timestamp",
}
OPERATION = {
    "@odata.type": "#microsoft.graph.delegatedAdminRelationshipOperation",
    "@odata.etag": "etag",
    "id": "string",
    "operationType": OPERATION_TYPE,
    "data": "json-string",
    "status": OPERATION_STATUS,
    "createdDateTime": "timestamp",
    "lastModifiedDateTime": "timestamp",
}
ASSIGNMENT = {
    "@odata.type": "#microsoft.graph.delegatedAdminAccessAssignment",
    "@odata.etag": "etag",
    "id": "string",
    "status": ASSIGNMENT_STATUS,
    "createdDateTime": "timestamp",
    "lastModifiedDateTime": "timestamp",
    "accessContainer": {"accessContainerId": "guid", "accessContainerType": {"securityGroup"}},
    "accessDetails": ROLES,
}
CUSTOMER = {
    "@odata.type": "#microsoft.graph.delegatedAdminCustomer",
    "@odata.etag": "etag",
    "id": "guid",
    "tenantId": "guid",
    "displayName": "string",
}
SERVICE_MANAGEMENT_DETAIL = {
    "@odata.type": "#microsoft.graph.delegatedAdminServiceManagementDetail",
    "id": "string",
    "serviceManagementUrl": "url",
    "serviceName": "string",
}

# (name, source page, context fragment, collection?, item shape, truncated, extras)
EXAMPLES = {
    "list delegatedAdminRelationships": {
        "source": f"{LEARN}/tenantrelationship-list-delegatedadminrelationships",
        "context": "delegatedAdminRelationships",
        "collection": True,
        "shape": RELATIONSHIP,
        "truncated": False,
    },
    "create delegatedAdminRelationship": {
        "source": f"{LEARN}/tenantrelationship-post-delegatedadminrelationships",
        "context": "delegatedAdminRelationships",
        "status": 201,
        "shape": RELATIONSHIP,
        "truncated": False,
    },
    "get delegatedAdminRelationship": {
        "source": f"{LEARN}/delegatedadminrelationship-get",
        "context": "delegatedAdminRelationships/$entity",
        "shape": RELATIONSHIP,
        "truncated": False,
    },
    "update delegatedAdminRelationship": {
        "source": f"{LEARN}/delegatedadminrelationship-update",
        "context": "delegatedAdminRelationships/$entity",
        "shape": {
            key: RELATIONSHIP[key]
            for key in (
                "@odata.type",
                "@odata.etag",
                "id",
                "displayName",
                "duration",
                "status",
                "createdDateTime",
                "lastModifiedDateTime",
                "customer",
                "accessDetails",
            )
        },
        "truncated": True,
        "full": RELATIONSHIP,
    },
    "create requests": {
        "source": f"{LEARN}/delegatedadminrelationship-post-requests",
        "context": "requests",
        "status": 201,
        "shape": {key: value for key, value in REQUEST.items() if key != "@odata.etag"},
        "truncated": True,
        "full": REQUEST,
        "extras": {"approvalUrl": "url"},
    },
    "list requests": {
        "source": f"{LEARN}/delegatedadminrelationship-list-requests",
        "context": "requests",
        "collection": True,
        "shape": REQUEST,
        "truncated": False,
        "extras": {"approvalUrl": "url"},
    },
    "get delegatedAdminRelationshipRequest": {
        "source": f"{LEARN}/delegatedadminrelationshiprequest-get",
        "context": "requests/$entity",
        "shape": REQUEST,
        "truncated": False,
        "extras": {"approvalUrl": "url"},
    },
    "list operations": {
        "source": f"{LEARN}/delegatedadminrelationship-list-operations",
        "context": "operations",
        "collection": True,
        "shape": OPERATION,
        "truncated": False,
    },
    "get delegatedAdminRelationshipOperation": {
        "source": f"{LEARN}/delegatedadminrelationshipoperation-get",
        "context": "operations/$entity",
        "shape": OPERATION,
        "truncated": False,
    },
    "create accessAssignments": {
        "source": f"{LEARN}/delegatedadminrelationship-post-accessassignments",
        "context": "accessAssignments",
        "status": 201,
        "shape": ASSIGNMENT,
        "truncated": False,
    },
    "list accessAssignments": {
        "source": f"{LEARN}/delegatedadminrelationship-list-accessassignments",
        "context": "accessAssignments",
        "collection": True,
        "shape": ASSIGNMENT,
        "truncated": False,
    },
    "get delegatedAdminAccessAssignment": {
        "source": f"{LEARN}/delegatedadminaccessassignment-get",
        "context": "accessAssignments/$entity",
        "shape": ASSIGNMENT,
        "truncated": False,
    },
    "list delegatedAdminCustomers": {
        "source": f"{LEARN}/tenantrelationship-list-delegatedadmincustomers",
        "context": "delegatedAdminCustomers",
        "collection": True,
        "shape": CUSTOMER,
        "truncated": False,
    },
    "get delegatedAdminCustomer": {
        "source": f"{LEARN}/delegatedadmincustomer-get",
        "context": "delegatedAdminCustomers/$entity",
        "shape": CUSTOMER,
        "truncated": False,
    },
    "list serviceManagementDetails": {
        "source": f"{LEARN}/delegatedadmincustomer-list-servicemanagementdetails",
        "context": "delegatedAdminCustomers/{customer}/serviceManagementDetails",
        "collection": True,
        "shape": SERVICE_MANAGEMENT_DETAIL,
        "truncated": False,
    },
}
