from django.urls import path

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("t/<str:tid>/", views.TenantHomeView.as_view(), name="tenant_home"),
]
