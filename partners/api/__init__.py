"""Partners' REST endpoints, one module per area; config/api_urls.py routes to these names.

directory: the public directory and "Contact me"; profile: the partner's own listing;
leads: the partner's leads inbox; invitations: sent or received, send, resend, cancel;
acceptance: the invitation link (preview, accept & authorise, decline); relationships: the
partner's customers and the customer's partner relationships.
"""

from partners.api.acceptance import (
    InvitationAcceptView,
    InvitationDeclineView,
    InvitationPreviewSerializer,
    InvitationPreviewView,
    preview,
)
from partners.api.directory import (
    DIRECTORY_FILTERS,
    DIRECTORY_PARAMETERS,
    CodeNameSerializer,
    DirectoryContactView,
    DirectoryFacetsView,
    DirectoryPartnersView,
    DirectoryPartnerView,
    FacetValueSerializer,
    ListingSerializer,
    SlugNameSerializer,
)
from partners.api.invitations import (
    GdapInputSerializer,
    GdapRequestSerializer,
    InvitationCancelView,
    InvitationCreatedSerializer,
    InvitationCreateInputSerializer,
    InvitationResendView,
    InvitationSerializer,
    InvitationsView,
)
from partners.api.leads import (
    LeadDetailView,
    LeadSerializer,
    LeadsView,
)
from partners.api.profile import (
    PartnerProfileSerializer,
    PartnerProfileView,
)
from partners.api.relationships import (
    AdminRoleSerializer,
    CustomerSerializer,
    CustomersView,
    EndTypesView,
    GdapSummarySerializer,
    PartnerRelationshipDetailSerializer,
    PartnerRelationshipDetailView,
    PartnerRelationshipSerializer,
    PartnerRelationshipsView,
    RemoveRolesView,
    RequestEndView,
    TenantNameSerializer,
)

__all__ = [
    "DIRECTORY_FILTERS",
    "DIRECTORY_PARAMETERS",
    "AdminRoleSerializer",
    "CodeNameSerializer",
    "CustomerSerializer",
    "CustomersView",
    "DirectoryContactView",
    "DirectoryFacetsView",
    "DirectoryPartnerView",
    "DirectoryPartnersView",
    "EndTypesView",
    "FacetValueSerializer",
    "GdapInputSerializer",
    "GdapRequestSerializer",
    "GdapSummarySerializer",
    "InvitationAcceptView",
    "InvitationCancelView",
    "InvitationCreateInputSerializer",
    "InvitationCreatedSerializer",
    "InvitationDeclineView",
    "InvitationPreviewSerializer",
    "InvitationPreviewView",
    "InvitationResendView",
    "InvitationSerializer",
    "InvitationsView",
    "LeadDetailView",
    "LeadSerializer",
    "LeadsView",
    "ListingSerializer",
    "PartnerProfileSerializer",
    "PartnerProfileView",
    "PartnerRelationshipDetailSerializer",
    "PartnerRelationshipDetailView",
    "PartnerRelationshipSerializer",
    "PartnerRelationshipsView",
    "RemoveRolesView",
    "RequestEndView",
    "SlugNameSerializer",
    "TenantNameSerializer",
    "preview",
]
