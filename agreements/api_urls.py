from django.urls import path

from agreements import api

urlpatterns = [
    path(
        "tenants/<str:tid>/agreement",
        api.TenantAgreementView.as_view(),
        name="api-agreement",
    ),
    path(
        "tenants/<str:tid>/agreement/accept",
        api.AcceptAgreementView.as_view(),
        name="api-agreement-accept",
    ),
]
