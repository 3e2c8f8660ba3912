from django.urls import path

from audit import views

urlpatterns = [
    path("t/<str:tid>/audit/", views.AuditView.as_view(), name="tenant_audit"),
    path("t/<str:tid>/audit/csv/", views.AuditCsvView.as_view(), name="tenant_audit_csv"),
]
