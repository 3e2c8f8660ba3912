"""Partners' data, one module per area; Django finds the models through this package.

directory: curated lists, partner profiles, their listing facets, "Contact me" leads.
"""

from partners.models.directory import (
    LEAD_TRANSITIONS,
    CuratedItem,
    Industry,
    Lead,
    ListingFacet,
    OrganizationSize,
    PartnerProfile,
    Product,
    Service,
)

__all__ = [
    "LEAD_TRANSITIONS",
    "CuratedItem",
    "Industry",
    "Lead",
    "ListingFacet",
    "OrganizationSize",
    "PartnerProfile",
    "Product",
    "Service",
]
