from django.urls import path

from relationships.views import acceptance, expiring, gdap, invitations, partner_relationships

urlpatterns = [
    path("t/<str:tid>/gdap/", gdap.RelationshipsView.as_view(), name="gdap_relationships"),
    # Before <rid>/: "new" is not a relationship id.
    path(
        "t/<str:tid>/gdap/new/",
        gdap.RelationshipCreateView.as_view(),
        name="gdap_relationship_new",
    ),
    path("t/<str:tid>/gdap/expiring/", expiring.ExpiringView.as_view(), name="gdap_expiring"),
    path(
        "t/<str:tid>/gdap/expiring/csv/",
        expiring.ExpiringCsvView.as_view(),
        name="gdap_expiring_csv",
    ),
    path(
        "t/<str:tid>/gdap/expiring/auto-extend/",
        expiring.AutoExtendBulkView.as_view(),
        name="gdap_expiring_auto_extend",
    ),
    path("t/<str:tid>/gdap/<str:rid>/", gdap.RelationshipsView.as_view(), name="gdap_relationship"),
    path(
        "t/<str:tid>/gdap/<str:rid>/edit/",
        gdap.RelationshipEditView.as_view(),
        name="gdap_relationship_edit",
    ),
    path(
        "t/<str:tid>/gdap/<str:rid>/approval/",
        gdap.RelationshipLockView.as_view(),
        name="gdap_relationship_lock",
    ),
    path(
        "t/<str:tid>/gdap/<str:rid>/reference/",
        gdap.RelationshipReferenceView.as_view(),
        name="gdap_relationship_reference",
    ),
    path(
        "t/<str:tid>/gdap/<str:rid>/terminate/",
        gdap.RelationshipTerminateView.as_view(),
        name="gdap_relationship_terminate",
    ),
    path(
        "t/<str:tid>/gdap/<str:rid>/assignments/",
        gdap.AccessAssignmentAddView.as_view(),
        name="gdap_assignment_add",
    ),
    path(
        "t/<str:tid>/gdap/<str:rid>/assignments/<str:aid>/remove/",
        gdap.AccessAssignmentRemoveView.as_view(),
        name="gdap_assignment_remove",
    ),
    # Not tenant-based: the link comes by mail; the tenant is chosen on the page and every
    # POST goes through services that check the resolver in that tenant.
    path("invitations/<str:token>/", acceptance.invitation_landing, name="invitation_landing"),
    # The same page by GDAP relationship id, as Microsoft's admin center addresses it
    # (.../partners/invitation/granularAdminRelationships/{id}): own admins only, else 404.
    path(
        "partners/invitation/granularAdminRelationships/<str:rid>/",
        acceptance.relationship_approval,
        name="gdap_relationship_approval",
    ),
    # Partner side: invitations and customers
    path(
        "t/<str:tid>/partner/invitations/",
        invitations.PartnerInvitationsView.as_view(),
        name="partner_invitations",
    ),
    path(
        "t/<str:tid>/partner/invitations/new/",
        invitations.PartnerInvitationNewView.as_view(),
        name="partner_invitation_new",
    ),
    path(
        "t/<str:tid>/partner/invitations/cancel/",
        invitations.PartnerInvitationBulkCancelView.as_view(),
        name="partner_invitations_cancel",
    ),
    path(
        "t/<str:tid>/partner/invitations/<str:iid>/reference/",
        invitations.PartnerInvitationReferenceView.as_view(),
        name="partner_invitation_reference",
    ),
    path(
        "t/<str:tid>/partner/invitations/<str:iid>/resend/",
        invitations.PartnerInvitationResendView.as_view(),
        name="partner_invitation_resend",
    ),
    path(
        "t/<str:tid>/partner/invitations/<str:iid>/cancel/",
        invitations.PartnerInvitationCancelView.as_view(),
        name="partner_invitation_cancel",
    ),
    path(
        "t/<str:tid>/partner/customers/",
        partner_relationships.PartnerCustomersView.as_view(),
        name="partner_customers",
    ),
    path(
        "t/<str:tid>/partner/customers/<str:customer_id>/end-types/",
        partner_relationships.PartnerEndTypesView.as_view(),
        name="partner_customer_end_types",
    ),
    # Customer side: Settings
    path(
        "t/<str:tid>/settings/partners/",
        partner_relationships.PartnerRelationshipsView.as_view(),
        name="partner_relationships",
    ),
    path(
        "t/<str:tid>/settings/partners/<str:partner_id>/",
        partner_relationships.PartnerRelationshipsView.as_view(),
        name="partner_relationship",
    ),
    path(
        "t/<str:tid>/settings/partners/<str:partner_id>/remove-roles/",
        partner_relationships.PartnerRemoveRolesView.as_view(),
        name="partner_remove_roles",
    ),
    path(
        "t/<str:tid>/settings/partners/<str:partner_id>/ask-to-end/",
        partner_relationships.PartnerRequestEndView.as_view(),
        name="partner_request_end",
    ),
    path(
        "t/<str:tid>/settings/invitations/",
        invitations.InvitationsReceivedView.as_view(),
        name="tenant_invitations_received",
    ),
]
