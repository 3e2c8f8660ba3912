from django.urls import path

from people.views import groups, invitations, tenants, users

urlpatterns = [
    # Before t/<tid>/ (portal): "new" is not a tenant id.
    path("t/new/", tenants.TenantCreateView.as_view(), name="tenant_create"),
    path(
        "profile/invitations/",
        invitations.MembershipInvitationsView.as_view(),
        name="membership_invitations",
    ),
    path("t/<str:tid>/users/", users.UsersView.as_view(), name="tenant_users"),
    path("t/<str:tid>/users/new/", users.UserAddView.as_view(), name="tenant_user_add"),
    path("t/<str:tid>/users/<str:uid>/", users.UsersView.as_view(), name="tenant_user"),
    path(
        "t/<str:tid>/users/<str:uid>/reset-password/",
        users.UserResetPasswordView.as_view(),
        name="tenant_user_reset_password",
    ),
    path(
        "t/<str:tid>/users/<str:uid>/roles/",
        users.UserRolesView.as_view(),
        name="tenant_user_roles",
    ),
    path(
        "t/<str:tid>/users/<str:uid>/remove/",
        users.UserRemoveView.as_view(),
        name="tenant_user_remove",
    ),
    path("t/<str:tid>/groups/", groups.GroupsView.as_view(), name="tenant_groups"),
    path("t/<str:tid>/groups/<str:gid>/", groups.GroupView.as_view(), name="tenant_group"),
    path(
        "t/<str:tid>/groups/<str:gid>/members/",
        groups.GroupMembersView.as_view(),
        name="tenant_group_members",
    ),
    path(
        "t/<str:tid>/groups/<str:gid>/delete/",
        groups.GroupDeleteView.as_view(),
        name="tenant_group_delete",
    ),
]
