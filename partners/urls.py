from django.urls import path

from partners import views

urlpatterns = [
    # Public directory
    path("partners/", views.directory, name="directory"),
    path("partners/<uuid:partner_id>/", views.directory_partner, name="directory_partner"),
    path("partners/<uuid:partner_id>/contact/", views.directory_contact, name="directory_contact"),
    # Partner side, inside the partner's own tenant
    path(
        "t/<str:tid>/partner/profile/",
        views.PartnerProfilePageView.as_view(),
        name="partner_profile",
    ),
    path("t/<str:tid>/leads/", views.LeadsPageView.as_view(), name="partner_leads"),
    path("t/<str:tid>/leads/<uuid:lead_id>/", views.LeadsPageView.as_view(), name="partner_lead"),
    path(
        "t/<str:tid>/leads/<uuid:lead_id>/status/",
        views.LeadStatusView.as_view(),
        name="partner_lead_status",
    ),
]
