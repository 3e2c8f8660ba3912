"""Partners' reads, tenant-scoped: views and the API read through these.

directory: listed profiles, filters and facet counts, a partner's own profile; leads: the
leads inbox and the tenants a user may send "Contact me" from. Callers import from
partners.selectors.
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
from partners.selectors.leads import contact_tenants, get_lead_or_404, leads_for, next_statuses

__all__ = [
    "Choice",
    "FacetValue",
    "Listing",
    "contact_tenants",
    "curated_labels",
    "directory_facets",
    "get_lead_or_404",
    "get_listing_or_404",
    "get_profile_or_404",
    "leads_for",
    "listings_for",
    "next_statuses",
    "preview_listing",
    "profile_of",
    "search_listings",
]
