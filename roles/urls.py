from django.urls import path

from roles import views

urlpatterns = [
    path("t/<str:tid>/gdap/", views.RelationshipsView.as_view(), name="gdap_relationships"),
    # Before <rid>/: "new" is not a relationship id.
    path(
        "t/<str:tid>/gdap/new/",
        views.RelationshipCreateView.as_view(),
        name="gdap_relationship_new",
    ),
    path(
        "t/<str:tid>/gdap/<str:rid>/", views.RelationshipsView.as_view(), name="gdap_relationship"
    ),
    path(
        "t/<str:tid>/gdap/<str:rid>/edit/",
        views.RelationshipEditView.as_view(),
        name="gdap_relationship_edit",
    ),
    path(
        "t/<str:tid>/gdap/<str:rid>/approval/",
        views.RelationshipLockView.as_view(),
        name="gdap_relationship_lock",
    ),
    path(
        "t/<str:tid>/gdap/<str:rid>/terminate/",
        views.RelationshipTerminateView.as_view(),
        name="gdap_relationship_terminate",
    ),
    path(
        "t/<str:tid>/gdap/<str:rid>/assignments/",
        views.AccessAssignmentAddView.as_view(),
        name="gdap_assignment_add",
    ),
    path(
        "t/<str:tid>/gdap/<str:rid>/assignments/<str:aid>/remove/",
        views.AccessAssignmentRemoveView.as_view(),
        name="gdap_assignment_remove",
    ),
]
