from django.urls import path

from audit import api

urlpatterns = [
    path(
        "tenants/<str:tid>/audit-events",
        api.AuditEventsView.as_view(),
        name="api-audit-events",
    ),
    path(
        "tenants/<str:tid>/audit-events/export",
        api.AuditEventsExportView.as_view(),
        name="api-audit-events-export",
    ),
]
