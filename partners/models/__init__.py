"""Partners' data, one module per area; Django finds the models through this package.

directory: curated lists, partner profiles, their listing facets, "Contact me" leads;
relationships: partner relationships, the invitations that create them, requests to end.
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
from partners.models.relationships import EndRequest, Invitation, PartnerRelationship

__all__ = [
    "LEAD_TRANSITIONS",
    "CuratedItem",
    "EndRequest",
    "Industry",
    "Invitation",
    "Lead",
    "ListingFacet",
    "OrganizationSize",
    "PartnerProfile",
    "PartnerRelationship",
    "Product",
    "Service",
]
