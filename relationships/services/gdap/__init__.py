"""GDAP relationships: the state table, request validation, and each transition.

Each service: one transaction, a permission check through the access resolver (on the
partner's tenant for partner acts, on the customer's for customer acts), exactly one
audit event, and mail queued on commit. activate, decline, expire_request and end_grant
run inside the invitation services, which check permission and write the audit event.

Requests (lockForApproval, terminate) are recorded as RelationshipRequest rows whichever
surface asked; removing Global Administrator from an active relationship is a
RelationshipOperation (long-running in Microsoft's API: `deferred` leaves it to a task).
"""

from relationships.services.gdap.edits import (
    Status,
    create_relationship,
    delete_relationship,
    update_relationship,
)
from relationships.services.gdap.requests import (
    RequestResult,
    lock_for_approval,
    remove_partner_roles,
    set_auto_extend,
    submit_request,
    terminate_relationship,
    terminate_relationship_as_support,
)

__all__ = [
    "RequestResult",
    "Status",
    "create_relationship",
    "delete_relationship",
    "lock_for_approval",
    "remove_partner_roles",
    "set_auto_extend",
    "submit_request",
    "terminate_relationship",
    "terminate_relationship_as_support",
    "update_relationship",
]
