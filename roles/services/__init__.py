"""GDAP state changes: delegated admin relationships and their access assignments.

Each service: one transaction, a permission check through the access resolver (on the
partner's tenant for partner acts, on the customer's for customer acts), exactly one
audit event, and mail queued on commit.

relationships: the state table, validation and every transition of a relationship;
assignments: which partner groups hold which approved roles; expiry: the beat jobs
(sweep and reminders), with sweep_sql, the sweep as one statement for PostgreSQL.
Callers import from roles.services; the names below are its whole surface.
"""

from roles.services.assignments import create_access_assignment, delete_access_assignment
from roles.services.expiry import REMINDER_DAYS, send_reminders, sweep_due
from roles.services.relationships import (
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

__all__ = [
    "AUTO_EXTEND_CHOICES",
    "MAX_DURATION",
    "MIN_DURATION",
    "REMINDER_DAYS",
    "TRANSITIONS",
    "Status",
    "activate",
    "build_request",
    "create_access_assignment",
    "create_relationship",
    "decline",
    "delete_access_assignment",
    "end_grant",
    "expire_request",
    "lock_for_approval",
    "remove_partner_roles",
    "send_reminders",
    "sweep_due",
    "terminate_relationship",
    "update_relationship",
    "validate_request",
]
