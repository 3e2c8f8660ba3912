"""Partners' state changes: every write of the app goes through one of these actions.

Each action: one transaction, a permission check (the access resolver, or a Django
permission for support staff), exactly one audit event when something changed, and mail
queued on commit through the outbox.

directory: partner profiles and certification; leads: "Contact me" and the leads inbox.
Keeping a listing's search document and facet values in step with its profile is
directory's own business (sync_listing, forget_curated_values in that module), not part
of this surface. Callers import from partners.services.
"""

from partners.services.directory import certify_partner, revoke_certification, save_partner_profile
from partners.services.leads import change_lead_status, submit_lead

__all__ = [
    "certify_partner",
    "change_lead_status",
    "revoke_certification",
    "save_partner_profile",
    "submit_lead",
]
