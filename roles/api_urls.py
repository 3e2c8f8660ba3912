from django.urls import path

from roles import api

urlpatterns = [
    path("me", api.MeView.as_view(), name="api-me"),
    path("roles", api.RolesView.as_view(), name="api-roles"),
    path("tenants/<str:tid>/me", api.TenantMeView.as_view(), name="api-tenant-me"),
]
