from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Liaison support"
admin.site.site_title = "Liaison support"

urlpatterns = [
    path("api/v1/", include("config.api_urls")),  # first: API requests try nothing else
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("graph/v1.0/", include("graph.urls")),
    # people first: its t/new/ must win over the portal's t/<tid>/.
    path("", include("people.urls")),
    path("", include("portal.urls")),
    path("", include("tenants.urls")),
    path("", include("audit.urls")),
    path("", include("agreements.urls")),
    path("", include("partners.urls")),
    path("", include("relationships.urls")),
    path("", include("support.urls")),
    path("", include("devices.urls")),
    path("", include("industry.urls")),
    path("", include("billing.urls")),
]

handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
