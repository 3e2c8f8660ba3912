from django.urls import path

from people import api

urlpatterns = [
    path(
        "me/membership-invitations",
        api.MembershipInvitationsView.as_view(),
        name="api-membership-invitations",
    ),
    path(
        "me/membership-invitations/<uuid:invitation_id>/accept",
        api.MembershipInvitationAcceptView.as_view(),
        name="api-membership-invitation-accept",
    ),
    path(
        "me/membership-invitations/<uuid:invitation_id>/decline",
        api.MembershipInvitationDeclineView.as_view(),
        name="api-membership-invitation-decline",
    ),
    path("tenants", api.TenantCreateView.as_view(), name="api-tenants"),
    path("tenants/<str:tid>/users", api.UsersView.as_view(), name="api-users"),
    path(
        "tenants/<str:tid>/users/<str:uid>",
        api.UserDetailView.as_view(),
        name="api-user-detail",
    ),
    path(
        "tenants/<str:tid>/users/<str:uid>/roles",
        api.UserRolesView.as_view(),
        name="api-user-roles",
    ),
    path(
        "tenants/<str:tid>/users/<str:uid>/reset-password",
        api.ResetPasswordView.as_view(),
        name="api-user-reset-password",
    ),
    path(
        "tenants/<str:tid>/security-groups",
        api.SecurityGroupsView.as_view(),
        name="api-security-groups",
    ),
    path(
        "tenants/<str:tid>/security-groups/<str:gid>",
        api.SecurityGroupDetailView.as_view(),
        name="api-security-group-detail",
    ),
    path(
        "tenants/<str:tid>/security-groups/<str:gid>/members",
        api.SecurityGroupMembersView.as_view(),
        name="api-security-group-members",
    ),
]
