"""Partners' HTML pages, one module per page group; partners/urls.py routes to these names.

directory_pages: the public directory, a partner's page and "Contact me"; profile: the
partner's listing; leads: the partner's leads inbox; invitations: sent (partner side) and
received (customer side); acceptance: the invitation landing page (accept or decline);
relationships: the partner's customers, the customer's partner relationships and the
customer agreement; common: helpers shared by them. Reads go through partners.selectors,
every write through a service.
"""

from partners.views.acceptance import invitation_landing
from partners.views.directory_pages import directory, directory_contact, directory_partner
from partners.views.invitations import (
    InvitationsReceivedView,
    PartnerInvitationCancelView,
    PartnerInvitationNewView,
    PartnerInvitationResendView,
    PartnerInvitationsView,
)
from partners.views.leads import LeadsPageView, LeadStatusView
from partners.views.profile import PartnerProfilePageView
from partners.views.relationships import (
    CustomerAgreementView,
    PartnerCustomersView,
    PartnerEndTypesView,
    PartnerRelationshipsView,
    PartnerRemoveRolesView,
    PartnerRequestEndView,
)

__all__ = [
    "CustomerAgreementView",
    "InvitationsReceivedView",
    "LeadStatusView",
    "LeadsPageView",
    "PartnerCustomersView",
    "PartnerEndTypesView",
    "PartnerInvitationCancelView",
    "PartnerInvitationNewView",
    "PartnerInvitationResendView",
    "PartnerInvitationsView",
    "PartnerProfilePageView",
    "PartnerRelationshipsView",
    "PartnerRemoveRolesView",
    "PartnerRequestEndView",
    "directory",
    "directory_contact",
    "directory_partner",
    "invitation_landing",
]
