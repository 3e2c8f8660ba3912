from django.urls import path

from tenants import views

urlpatterns = [
    path("language/", views.set_language, name="set_language"),
    path("profile/tokens/", views.ApiTokensView.as_view(), name="api_tokens"),
    path("profile/sign-ins/", views.SignInsView.as_view(), name="sign_ins"),
    path(
        "profile/tokens/<uuid:token_id>/revoke/",
        views.ApiTokenRevokeView.as_view(),
        name="api_token_revoke",
    ),
]
