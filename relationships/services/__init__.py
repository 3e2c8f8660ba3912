"""Relationships' state changes: every write of the app goes through one of these.

Each service: one transaction, a permission check through the access resolver (on the
partner's tenant for partner acts, on the customer's for customer acts), exactly one
audit event, and mail queued on commit through the outbox.

invitations: the partner's invitations (send, resend, cancel, expire); acceptance: the
customer's answer (accept & authorise, decline); partner_relationships: ending
relationship types and requests to end; gdap: delegated admin relationships and each of
their transitions; assignments: which partner groups hold which approved roles; expiry:
the beat jobs (sweep and reminders). Callers import from relationships.services.
"""

from relationships.services.acceptance import (
    accept_invitation,
    add_types,
    decline_invitation,
    get_by_token,
)
from relationships.services.assignments import create_access_assignment, delete_access_assignment
from relationships.services.expiry import REMINDER_DAYS, send_reminders, sweep_due
from relationships.services.gdap import (
    AUTO_EXTEND_CHOICES,
    MAX_DURATION,
    MIN_DURATION,
    TRANSITIONS,
    Status,
    activate,
    build_request,
    create_relationship,
    decline,
    end_grant,
    expire_request,
    lock_for_approval,
    remove_partner_roles,
    terminate_relationship,
    update_relationship,
    validate_request,
)
from relationships.services.invitations import (
    RESEND_INTERVAL,
    approval_url,
    cancel_invitation,
    cancel_invitation_as_support,
    create_for_relationship,
    default_expiry,
    expire_stale,
    hash_token,
    new_token,
    resend_invitation,
    resend_invitation_as_support,
    send_invitation,
)
from relationships.services.partner_relationships import (
    GDAP_TYPES,
    end_relationship_types,
    end_relationship_types_for_customer,
    request_end,
    resolve_end_request,
)

__all__ = [
    "AUTO_EXTEND_CHOICES",
    "GDAP_TYPES",
    "MAX_DURATION",
    "MIN_DURATION",
    "REMINDER_DAYS",
    "RESEND_INTERVAL",
    "TRANSITIONS",
    "Status",
    "accept_invitation",
    "activate",
    "add_types",
    "approval_url",
    "build_request",
    "cancel_invitation",
    "cancel_invitation_as_support",
    "create_access_assignment",
    "create_for_relationship",
    "create_relationship",
    "decline",
    "decline_invitation",
    "default_expiry",
    "delete_access_assignment",
    "end_grant",
    "end_relationship_types",
    "end_relationship_types_for_customer",
    "expire_request",
    "expire_stale",
    "get_by_token",
    "hash_token",
    "lock_for_approval",
    "new_token",
    "remove_partner_roles",
    "request_end",
    "resend_invitation",
    "resend_invitation_as_support",
    "resolve_end_request",
    "send_invitation",
    "send_reminders",
    "sweep_due",
    "terminate_relationship",
    "update_relationship",
    "validate_request",
]
