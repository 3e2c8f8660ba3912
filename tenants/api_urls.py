from django.urls import path

from tenants import api

urlpatterns = [
    path("me/tokens", api.ApiTokensView.as_view(), name="api-tokens"),
    path(
        "me/tokens/<uuid:token_id>",
        api.ApiTokenDetailView.as_view(),
        name="api-token-detail",
    ),
]
