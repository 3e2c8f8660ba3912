from django.urls import path

from support import views

urlpatterns = [
    path("t/<str:tid>/support/", views.SupportRequestsView.as_view(), name="support_requests"),
    # Before <rid>/: "new" is not a request id.
    path(
        "t/<str:tid>/support/new/",
        views.SupportRequestNewView.as_view(),
        name="support_request_new",
    ),
    path(
        "t/<str:tid>/support/<str:rid>/",
        views.SupportRequestsView.as_view(),
        name="support_request",
    ),
    path(
        "t/<str:tid>/support/<str:rid>/comments/",
        views.SupportCommentView.as_view(),
        name="support_request_comment",
    ),
    path(
        "t/<str:tid>/support/<str:rid>/close/",
        views.SupportCloseView.as_view(),
        name="support_request_close",
    ),
    path(
        "t/<str:tid>/support/<str:rid>/reopen/",
        views.SupportReopenView.as_view(),
        name="support_request_reopen",
    ),
]
