"""Partners' state changes: every write of the app goes through one of these.

Each service: one transaction, a permission check (the access resolver, or a Django
permission for support staff), exactly one audit event when something changed, and mail
queued on commit through the outbox.

directory: partner profiles, certification, curated values; leads: "Contact me" and the
leads inbox; invitations: the partner's invitations (send, resend, cancel, expire);
acceptance: the customer's answer (accept & authorise, decline); relationships: ending
relationship types and requests to end. Callers import from partners.services.
"""

from partners.services.acceptance import (
    accept_invitation,
    add_types,
    decline_invitation,
    get_by_token,
)
from partners.services.directory import (
    CERTIFY_PERMISSION,
    CURATED_FIELDS,
    certify_partner,
    clean_profile,
    forget_curated_values,
    revoke_certification,
    save_partner_profile,
    sync_listing,
)
from partners.services.invitations import (
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
from partners.services.leads import (
    LEAD_DUPLICATE_WINDOW,
    LEAD_RATE_LIMIT,
    LEAD_RATE_WINDOW,
    change_lead_status,
    next_statuses,
    submit_lead,
)
from partners.services.relationships import (
    GDAP_TYPES,
    end_relationship_types,
    end_relationship_types_for_customer,
    request_end,
    resolve_end_request,
)

__all__ = [
    "CERTIFY_PERMISSION",
    "CURATED_FIELDS",
    "GDAP_TYPES",
    "LEAD_DUPLICATE_WINDOW",
    "LEAD_RATE_LIMIT",
    "LEAD_RATE_WINDOW",
    "RESEND_INTERVAL",
    "accept_invitation",
    "add_types",
    "approval_url",
    "cancel_invitation",
    "cancel_invitation_as_support",
    "certify_partner",
    "change_lead_status",
    "clean_profile",
    "create_for_relationship",
    "decline_invitation",
    "default_expiry",
    "end_relationship_types",
    "end_relationship_types_for_customer",
    "expire_stale",
    "forget_curated_values",
    "get_by_token",
    "hash_token",
    "new_token",
    "next_statuses",
    "request_end",
    "resend_invitation",
    "resend_invitation_as_support",
    "resolve_end_request",
    "revoke_certification",
    "save_partner_profile",
    "send_invitation",
    "submit_lead",
    "sync_listing",
]
