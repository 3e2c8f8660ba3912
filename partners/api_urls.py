from django.urls import path

from partners.api import directory, leads, profile

urlpatterns = [
    path(
        "directory/partners",
        directory.DirectoryPartnersView.as_view(),
        name="api-directory-partners",
    ),
    path(
        "directory/partners/<str:partner_id>",
        directory.DirectoryPartnerView.as_view(),
        name="api-directory-partner",
    ),
    path(
        "directory/partners/<str:partner_id>/contact",
        directory.DirectoryContactView.as_view(),
        name="api-directory-contact",
    ),
    path(
        "directory/facets",
        directory.DirectoryFacetsView.as_view(),
        name="api-directory-facets",
    ),
    path(
        "tenants/<str:tid>/partner-profile",
        profile.PartnerProfileView.as_view(),
        name="api-partner-profile",
    ),
    path("tenants/<str:tid>/leads", leads.LeadsView.as_view(), name="api-leads"),
    path(
        "tenants/<str:tid>/leads/<str:lead_id>",
        leads.LeadDetailView.as_view(),
        name="api-lead-detail",
    ),
]
