from django.urls import path

from support import api

urlpatterns = [
    path(
        "tenants/<str:tid>/support-requests",
        api.SupportRequestsView.as_view(),
        name="api-support-requests",
    ),
    path(
        "tenants/<str:tid>/support-requests/<str:rid>",
        api.SupportRequestView.as_view(),
        name="api-support-request",
    ),
    path(
        "tenants/<str:tid>/support-requests/<str:rid>/comments",
        api.SupportRequestCommentsView.as_view(),
        name="api-support-request-comments",
    ),
    path(
        "tenants/<str:tid>/support-requests/<str:rid>/close",
        api.SupportRequestCloseView.as_view(),
        name="api-support-request-close",
    ),
    path(
        "tenants/<str:tid>/support-requests/<str:rid>/reopen",
        api.SupportRequestReopenView.as_view(),
        name="api-support-request-reopen",
    ),
]
