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

from graph.api.resources.access import (
    ASSIGNMENT,
    CUSTOMER,
    assignment_json,
    customer_json,
    service_management_detail_json,
)
from graph.api.resources.common import Resource, timestamp
from graph.api.resources.relationships import (
    OPERATION,
    RELATIONSHIP,
    REQUEST,
    operation_json,
    relationship_json,
    request_json,
    with_graph_status,
)

__all__ = [
    "ASSIGNMENT",
    "CUSTOMER",
    "OPERATION",
    "RELATIONSHIP",
    "REQUEST",
    "Resource",
    "assignment_json",
    "customer_json",
    "operation_json",
    "relationship_json",
    "request_json",
    "service_management_detail_json",
    "timestamp",
    "with_graph_status",
]
