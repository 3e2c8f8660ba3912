from django.urls import path

from partners.views import directory_pages, leads, profile

urlpatterns = [
    # Public directory
    path("partners/", directory_pages.directory, name="directory"),
    path(
        "partners/<uuid:partner_id>/", directory_pages.directory_partner, name="directory_partner"
    ),
    path(
        "partners/<uuid:partner_id>/contact/",
        directory_pages.directory_contact,
        name="directory_contact",
    ),
    # Partner side, inside the partner's own tenant
    path(
        "t/<str:tid>/partner/profile/",
        profile.PartnerProfilePageView.as_view(),
        name="partner_profile",
    ),
    path("t/<str:tid>/leads/", leads.LeadsPageView.as_view(), name="partner_leads"),
    path("t/<str:tid>/leads/<uuid:lead_id>/", leads.LeadsPageView.as_view(), name="partner_lead"),
    path(
        "t/<str:tid>/leads/<uuid:lead_id>/status/",
        leads.LeadStatusView.as_view(),
        name="partner_lead_status",
    ),
]
