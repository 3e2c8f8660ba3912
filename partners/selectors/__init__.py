"""Partners' reads, tenant-scoped: views and the API read through these.

directory: listed profiles, filters and facet counts, a partner's own profile; leads: the
leads inbox and the tenants a user may send "Contact me" from; relationships: a partner's
customers, a customer's partners and their admin roles, one relationship and its history;
invitations: sent, received, by status. Callers import from partners.selectors.
"""

from partners.selectors.directory import (
    Choice,
    FacetValue,
    Listing,
    curated_labels,
    directory_facets,
    get_listing_or_404,
    get_profile_or_404,
    listings_for,
    preview_listing,
    profile_of,
    search_listings,
)
from partners.selectors.invitations import invitations_received, invitations_sent, with_status
from partners.selectors.leads import contact_tenants, get_lead_or_404, leads_for
from partners.selectors.relationships import (
    admin_roles_by_partner,
    customers_of,
    get_partner_relationship_or_404,
    history,
    needs_agreement,
    partners_of,
)

__all__ = [
    "Choice",
    "FacetValue",
    "Listing",
    "admin_roles_by_partner",
    "contact_tenants",
    "curated_labels",
    "customers_of",
    "directory_facets",
    "get_lead_or_404",
    "get_listing_or_404",
    "get_partner_relationship_or_404",
    "get_profile_or_404",
    "history",
    "invitations_received",
    "invitations_sent",
    "leads_for",
    "listings_for",
    "needs_agreement",
    "partners_of",
    "preview_listing",
    "profile_of",
    "search_listings",
    "with_status",
]
