from django.urls import path

from tenants import views

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
    path("profile/tokens/", views.ApiTokensView.as_view(), name="api_tokens"),
    path(
        "profile/tokens/<uuid:token_id>/revoke/",
        views.ApiTokenRevokeView.as_view(),
        name="api_token_revoke",
    ),
    # Before t/<tid>/: "new" is not a tenant id.
    path("t/new/", views.TenantCreateView.as_view(), name="tenant_create"),
    path("t/<str:tid>/", views.TenantHomeView.as_view(), name="tenant_home"),
    path("t/<str:tid>/users/", views.UsersView.as_view(), name="tenant_users"),
    path("t/<str:tid>/users/new/", views.UserAddView.as_view(), name="tenant_user_add"),
    path("t/<str:tid>/users/<str:uid>/", views.UsersView.as_view(), name="tenant_user"),
    path(
        "t/<str:tid>/users/<str:uid>/reset-password/",
        views.UserResetPasswordView.as_view(),
        name="tenant_user_reset_password",
    ),
    path(
        "t/<str:tid>/users/<str:uid>/roles/",
        views.UserRolesView.as_view(),
        name="tenant_user_roles",
    ),
    path(
        "t/<str:tid>/users/<str:uid>/remove/",
        views.UserRemoveView.as_view(),
        name="tenant_user_remove",
    ),
    path("t/<str:tid>/groups/", views.GroupsView.as_view(), name="tenant_groups"),
    path("t/<str:tid>/groups/<str:gid>/", views.GroupView.as_view(), name="tenant_group"),
    path(
        "t/<str:tid>/groups/<str:gid>/members/",
        views.GroupMembersView.as_view(),
        name="tenant_group_members",
    ),
    path(
        "t/<str:tid>/groups/<str:gid>/delete/",
        views.GroupDeleteView.as_view(),
        name="tenant_group_delete",
    ),
    path("t/<str:tid>/audit/", views.AuditView.as_view(), name="tenant_audit"),
]
