"""/api/v1: the schema and its docs, then each app's endpoints from its own api_urls."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from core.docs import SwaggerDocsView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SwaggerDocsView.as_view(url_name="api-schema"), name="api-docs"),
    # The public directory first: the API's busiest paths resolve without trying the rest.
    path("", include("partners.api_urls")),
    path("", include("roles.api_urls")),
    path("", include("tenants.api_urls")),
    path("", include("people.api_urls")),
    path("", include("audit.api_urls")),
    path("", include("agreements.api_urls")),
    path("", include("relationships.api_urls")),
    path("", include("billing.api_urls")),
    path("", include("devices.api_urls")),
    path("", include("industry.api_urls")),
    path("", include("support.api_urls")),
]
