from django.urls import path

from industry import api

urlpatterns = [
    path(
        "tenants/<str:tid>/industry-apps",
        api.IndustryAppsView.as_view(),
        name="api-industry-apps",
    ),
    path(
        "tenants/<str:tid>/industry-apps/<str:app_id>",
        api.IndustryAppView.as_view(),
        name="api-industry-app",
    ),
    path(
        "tenants/<str:tid>/industry-apps/<str:app_id>/approve",
        api.IndustryAppApproveView.as_view(),
        name="api-industry-app-approve",
    ),
    path(
        "tenants/<str:tid>/industry-apps/<str:app_id>/reject",
        api.IndustryAppRejectView.as_view(),
        name="api-industry-app-reject",
    ),
]
