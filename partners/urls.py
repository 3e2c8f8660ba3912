from django.urls import path

from partners import views

urlpatterns = [
    # Public directory
    path("partners/", views.directory, name="directory"),
    path("partners/<uuid:partner_id>/", views.directory_partner, name="directory_partner"),
    path("partners/<uuid:partner_id>/contact/", views.directory_contact, name="directory_contact"),
    # Partner side, inside the partner's own tenant
    path(
        "t/<str:tid>/partner/profile/",
        views.PartnerProfilePageView.as_view(),
        name="partner_profile",
    ),
    path("t/<str:tid>/leads/", views.LeadsPageView.as_view(), name="partner_leads"),
    path("t/<str:tid>/leads/<uuid:lead_id>/", views.LeadsPageView.as_view(), name="partner_lead"),
    path(
        "t/<str:tid>/leads/<uuid:lead_id>/status/",
        views.LeadStatusView.as_view(),
        name="partner_lead_status",
    ),
    # Not tenant-based: the link comes by mail; the tenant is chosen on the page and every
    # POST goes through services that check the resolver in that tenant.
    path("invitations/<str:token>/", views.invitation_landing, name="invitation_landing"),
    # Partner side: invitations and customers
    path(
        "t/<str:tid>/partner/invitations/",
        views.PartnerInvitationsView.as_view(),
        name="partner_invitations",
    ),
    path(
        "t/<str:tid>/partner/invitations/new/",
        views.PartnerInvitationNewView.as_view(),
        name="partner_invitation_new",
    ),
    path(
        "t/<str:tid>/partner/invitations/<str:iid>/resend/",
        views.PartnerInvitationResendView.as_view(),
        name="partner_invitation_resend",
    ),
    path(
        "t/<str:tid>/partner/invitations/<str:iid>/cancel/",
        views.PartnerInvitationCancelView.as_view(),
        name="partner_invitation_cancel",
    ),
    path(
        "t/<str:tid>/partner/customers/",
        views.PartnerCustomersView.as_view(),
        name="partner_customers",
    ),
    path(
        "t/<str:tid>/partner/customers/<str:customer_id>/end-types/",
        views.PartnerEndTypesView.as_view(),
        name="partner_customer_end_types",
    ),
    # Customer side: Settings
    path(
        "t/<str:tid>/settings/partners/",
        views.PartnerRelationshipsView.as_view(),
        name="partner_relationships",
    ),
    path(
        "t/<str:tid>/settings/partners/<str:partner_id>/",
        views.PartnerRelationshipsView.as_view(),
        name="partner_relationship",
    ),
    path(
        "t/<str:tid>/settings/partners/<str:partner_id>/remove-roles/",
        views.PartnerRemoveRolesView.as_view(),
        name="partner_remove_roles",
    ),
    path(
        "t/<str:tid>/settings/partners/<str:partner_id>/ask-to-end/",
        views.PartnerRequestEndView.as_view(),
        name="partner_request_end",
    ),
    path(
        "t/<str:tid>/settings/agreement/",
        views.CustomerAgreementView.as_view(),
        name="customer_agreement",
    ),
    path(
        "t/<str:tid>/settings/invitations/",
        views.InvitationsReceivedView.as_view(),
        name="tenant_invitations_received",
    ),
]
