"""Partner relationships, the invitations that create them, requests to end them, and GDAP:
delegated admin relationships and their access assignments.

The tables keep the names they had before this app existed (partners_*, roles_*), so
moving the models changed no data (migrations 0001, SeparateDatabaseAndState).
"""

from relationships.models.gdap import (
    EXPIRING_WINDOW,
    AccessAssignment,
    DelegatedAdminRelationship,
    RelationshipOperation,
    RelationshipRequest,
    extended_end,
)
from relationships.models.partner import (
    REFERENCE_MAX,
    EndRequest,
    Invitation,
    PartnerRelationship,
)

__all__ = [
    "EXPIRING_WINDOW",
    "REFERENCE_MAX",
    "AccessAssignment",
    "DelegatedAdminRelationship",
    "EndRequest",
    "Invitation",
    "PartnerRelationship",
    "RelationshipOperation",
    "RelationshipRequest",
    "extended_end",
]
