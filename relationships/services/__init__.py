"""Relationships' state changes: every write of the app goes through one of these actions.

Each action: one transaction, a permission check through the access resolver (on the
partner's tenant for partner acts, on the customer's for customer acts, support staff's
Django permission for admin acts), exactly one audit event, and mail queued on commit
through the outbox. The steps they share are private (_steps.py); the rules they enforce
are in relationships.rules, the state tables in relationships.states.

invitations: the partner's invitations (send, resend, cancel, expire); acceptance: the
customer's answer (accept & authorise, decline); partner_relationships: ending
relationship types and requests to end; gdap: delegated admin relationships and their
transitions and requests; assignments: which partner groups hold which approved roles;
operations: the background half of long-running work (Graph's operations); expiry: the
beat jobs (sweep and reminders); housekeeping: the partner's reference notes and cancelling
many invitations. Callers import from relationships.services.
"""

from relationships.services.acceptance import accept_invitation, decline_invitation
from relationships.services.assignments import (
    complete_access_assignment,
    create_access_assignment,
    delete_access_assignment,
    revoke_access_assignment_as_support,
    update_access_assignment,
)
from relationships.services.expiry import send_reminders, sweep_due
from relationships.services.gdap import (
    RequestResult,
    create_relationship,
    delete_relationship,
    lock_for_approval,
    remove_partner_roles,
    set_auto_extend,
    submit_request,
    terminate_relationship,
    terminate_relationship_as_support,
    update_relationship,
)
from relationships.services.housekeeping import (
    cancel_invitations,
    set_auto_extend_many,
    set_invitation_reference,
    set_relationship_reference,
)
from relationships.services.invitations import (
    cancel_invitation,
    cancel_invitation_as_support,
    expire_stale,
    resend_invitation,
    resend_invitation_as_support,
    send_invitation,
)
from relationships.services.operations import resume_pending, run_operation
from relationships.services.partner_relationships import (
    end_relationship_types,
    end_relationship_types_for_customer,
    request_end,
    resolve_end_request,
)

__all__ = [
    "RequestResult",
    "accept_invitation",
    "cancel_invitation",
    "cancel_invitation_as_support",
    "cancel_invitations",
    "complete_access_assignment",
    "create_access_assignment",
    "create_relationship",
    "decline_invitation",
    "delete_access_assignment",
    "delete_relationship",
    "end_relationship_types",
    "end_relationship_types_for_customer",
    "expire_stale",
    "lock_for_approval",
    "remove_partner_roles",
    "request_end",
    "resend_invitation",
    "resend_invitation_as_support",
    "resolve_end_request",
    "resume_pending",
    "revoke_access_assignment_as_support",
    "run_operation",
    "send_invitation",
    "send_reminders",
    "set_auto_extend",
    "set_auto_extend_many",
    "set_invitation_reference",
    "set_relationship_reference",
    "submit_request",
    "sweep_due",
    "terminate_relationship",
    "terminate_relationship_as_support",
    "update_access_assignment",
    "update_relationship",
]
