from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from agreements import api as agreements_api
from audit import api as audit_api
from billing import api as billing_api
from core.docs import SwaggerDocsView
from devices import api as devices_api
from industry import api as industry_api
from partners import api as partners_api
from roles import api as roles_api
from support import api as support_api
from tenants import api as tenants_api

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SwaggerDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("me", tenants_api.MeView.as_view(), name="api-me"),
    path("me/tokens", tenants_api.ApiTokensView.as_view(), name="api-tokens"),
    path(
        "me/tokens/<uuid:token_id>",
        tenants_api.ApiTokenDetailView.as_view(),
        name="api-token-detail",
    ),
    path("roles", roles_api.RolesView.as_view(), name="api-roles"),
    path("products", billing_api.ProductsView.as_view(), name="api-products"),
    path("tenants", tenants_api.TenantCreateView.as_view(), name="api-tenants"),
    path("tenants/<str:tid>/me", tenants_api.TenantMeView.as_view(), name="api-tenant-me"),
    path("tenants/<str:tid>/users", tenants_api.UsersView.as_view(), name="api-users"),
    path(
        "tenants/<str:tid>/users/<str:uid>",
        tenants_api.UserDetailView.as_view(),
        name="api-user-detail",
    ),
    path(
        "tenants/<str:tid>/users/<str:uid>/roles",
        tenants_api.UserRolesView.as_view(),
        name="api-user-roles",
    ),
    path(
        "tenants/<str:tid>/users/<str:uid>/reset-password",
        tenants_api.ResetPasswordView.as_view(),
        name="api-user-reset-password",
    ),
    path(
        "tenants/<str:tid>/security-groups",
        tenants_api.SecurityGroupsView.as_view(),
        name="api-security-groups",
    ),
    path(
        "tenants/<str:tid>/security-groups/<str:gid>",
        tenants_api.SecurityGroupDetailView.as_view(),
        name="api-security-group-detail",
    ),
    path(
        "tenants/<str:tid>/security-groups/<str:gid>/members",
        tenants_api.SecurityGroupMembersView.as_view(),
        name="api-security-group-members",
    ),
    path(
        "tenants/<str:tid>/agreement",
        agreements_api.TenantAgreementView.as_view(),
        name="api-agreement",
    ),
    path(
        "tenants/<str:tid>/agreement/accept",
        agreements_api.AcceptAgreementView.as_view(),
        name="api-agreement-accept",
    ),
    path(
        "tenants/<str:tid>/audit-events",
        audit_api.AuditEventsView.as_view(),
        name="api-audit-events",
    ),
    path(
        "directory/partners",
        partners_api.DirectoryPartnersView.as_view(),
        name="api-directory-partners",
    ),
    path(
        "directory/partners/<str:partner_id>",
        partners_api.DirectoryPartnerView.as_view(),
        name="api-directory-partner",
    ),
    path(
        "directory/partners/<str:partner_id>/contact",
        partners_api.DirectoryContactView.as_view(),
        name="api-directory-contact",
    ),
    path(
        "directory/facets",
        partners_api.DirectoryFacetsView.as_view(),
        name="api-directory-facets",
    ),
    path(
        "tenants/<str:tid>/partner-profile",
        partners_api.PartnerProfileView.as_view(),
        name="api-partner-profile",
    ),
    path("tenants/<str:tid>/leads", partners_api.LeadsView.as_view(), name="api-leads"),
    path(
        "tenants/<str:tid>/leads/<str:lead_id>",
        partners_api.LeadDetailView.as_view(),
        name="api-lead-detail",
    ),
    path(
        "tenants/<str:tid>/delegated-admin-relationships",
        roles_api.RelationshipsView.as_view(),
        name="api-gdap-relationships",
    ),
    path(
        "tenants/<str:tid>/delegated-admin-relationships/<str:rid>",
        roles_api.RelationshipDetailView.as_view(),
        name="api-gdap-relationship",
    ),
    path(
        "tenants/<str:tid>/delegated-admin-relationships/<str:rid>/requests",
        roles_api.RelationshipRequestView.as_view(),
        name="api-gdap-requests",
    ),
    path(
        "tenants/<str:tid>/delegated-admin-relationships/<str:rid>/access-assignments",
        roles_api.AccessAssignmentsView.as_view(),
        name="api-gdap-assignments",
    ),
    path(
        "tenants/<str:tid>/delegated-admin-relationships/<str:rid>/access-assignments/<str:aid>",
        roles_api.AccessAssignmentDetailView.as_view(),
        name="api-gdap-assignment",
    ),
    # Invitations, customers and partner relationships (partners/api/)
    path(
        "invitations/<str:token>",
        partners_api.InvitationPreviewView.as_view(),
        name="api-invitation",
    ),
    path(
        "invitations/<str:token>/accept",
        partners_api.InvitationAcceptView.as_view(),
        name="api-invitation-accept",
    ),
    path(
        "invitations/<str:token>/decline",
        partners_api.InvitationDeclineView.as_view(),
        name="api-invitation-decline",
    ),
    path(
        "tenants/<str:tid>/invitations",
        partners_api.InvitationsView.as_view(),
        name="api-invitations",
    ),
    path(
        "tenants/<str:tid>/invitations/<str:iid>/resend",
        partners_api.InvitationResendView.as_view(),
        name="api-invitation-resend",
    ),
    path(
        "tenants/<str:tid>/invitations/<str:iid>/cancel",
        partners_api.InvitationCancelView.as_view(),
        name="api-invitation-cancel",
    ),
    path("tenants/<str:tid>/customers", partners_api.CustomersView.as_view(), name="api-customers"),
    path(
        "tenants/<str:tid>/customers/<str:customer_id>/end-types",
        partners_api.EndTypesView.as_view(),
        name="api-customer-end-types",
    ),
    path(
        "tenants/<str:tid>/partner-relationships",
        partners_api.PartnerRelationshipsView.as_view(),
        name="api-partner-relationships",
    ),
    path(
        "tenants/<str:tid>/partner-relationships/<str:partner_id>",
        partners_api.PartnerRelationshipDetailView.as_view(),
        name="api-partner-relationship",
    ),
    path(
        "tenants/<str:tid>/partner-relationships/<str:partner_id>/remove-roles",
        partners_api.RemoveRolesView.as_view(),
        name="api-partner-remove-roles",
    ),
    path(
        "tenants/<str:tid>/partner-relationships/<str:partner_id>/request-end",
        partners_api.RequestEndView.as_view(),
        name="api-partner-request-end",
    ),
    path(
        "tenants/<str:tid>/support-requests",
        support_api.SupportRequestsView.as_view(),
        name="api-support-requests",
    ),
    path(
        "tenants/<str:tid>/support-requests/<str:rid>",
        support_api.SupportRequestView.as_view(),
        name="api-support-request",
    ),
    path(
        "tenants/<str:tid>/support-requests/<str:rid>/comments",
        support_api.SupportRequestCommentsView.as_view(),
        name="api-support-request-comments",
    ),
    path(
        "tenants/<str:tid>/support-requests/<str:rid>/close",
        support_api.SupportRequestCloseView.as_view(),
        name="api-support-request-close",
    ),
    path(
        "tenants/<str:tid>/support-requests/<str:rid>/reopen",
        support_api.SupportRequestReopenView.as_view(),
        name="api-support-request-reopen",
    ),
    path(
        "tenants/<str:tid>/subscriptions",
        billing_api.SubscriptionsView.as_view(),
        name="api-subscriptions",
    ),
    path(
        "tenants/<str:tid>/subscriptions/<str:sid>",
        billing_api.SubscriptionDetailView.as_view(),
        name="api-subscription",
    ),
    path(
        "tenants/<str:tid>/settings",
        billing_api.BillingSettingsView.as_view(),
        name="api-billing-settings",
    ),
    path(
        "tenants/<str:tid>/autopilot-devices",
        devices_api.AutopilotDevicesView.as_view(),
        name="api-autopilot-devices",
    ),
    path(
        "tenants/<str:tid>/autopilot-devices/<str:device_id>",
        devices_api.AutopilotDeviceView.as_view(),
        name="api-autopilot-device",
    ),
    path(
        "tenants/<str:tid>/industry-apps",
        industry_api.IndustryAppsView.as_view(),
        name="api-industry-apps",
    ),
    path(
        "tenants/<str:tid>/industry-apps/<str:app_id>",
        industry_api.IndustryAppView.as_view(),
        name="api-industry-app",
    ),
    path(
        "tenants/<str:tid>/industry-apps/<str:app_id>/approve",
        industry_api.IndustryAppApproveView.as_view(),
        name="api-industry-app-approve",
    ),
    path(
        "tenants/<str:tid>/industry-apps/<str:app_id>/reject",
        industry_api.IndustryAppRejectView.as_view(),
        name="api-industry-app-reject",
    ),
]
