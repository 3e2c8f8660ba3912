from django.urls import path

from partners import relationship_views as views

urlpatterns = [
    path("invitations/<str:token>/", views.invitation_landing, name="invitation_landing"),
]
