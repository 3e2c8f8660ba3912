"""Partners' state changes: every write of the app goes through one of these.

Each service: one transaction, a permission check (the access resolver, or a Django
permission for support staff), exactly one audit event when something changed, and mail
queued on commit through the outbox.

directory: partner profiles, certification, curated values; leads: "Contact me" and the
leads inbox. Callers import from partners.services.
"""

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
from partners.services.leads import (
    LEAD_DUPLICATE_WINDOW,
    LEAD_RATE_LIMIT,
    LEAD_RATE_WINDOW,
    change_lead_status,
    next_statuses,
    submit_lead,
)

__all__ = [
    "CERTIFY_PERMISSION",
    "CURATED_FIELDS",
    "LEAD_DUPLICATE_WINDOW",
    "LEAD_RATE_LIMIT",
    "LEAD_RATE_WINDOW",
    "certify_partner",
    "change_lead_status",
    "clean_profile",
    "forget_curated_values",
    "next_statuses",
    "revoke_certification",
    "save_partner_profile",
    "submit_lead",
    "sync_listing",
]
