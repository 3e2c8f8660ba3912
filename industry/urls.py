from django.urls import path

from industry import views

urlpatterns = [
    path("t/<str:tid>/industry-apps/", views.IndustryAppsView.as_view(), name="industry_apps"),
    path(
        "t/<str:tid>/industry-apps/<str:app_id>/",
        views.IndustryAppsView.as_view(),
        name="industry_app",
    ),
    path(
        "t/<str:tid>/industry-apps/<str:app_id>/approve/",
        views.IndustryAppApproveView.as_view(),
        name="industry_app_approve",
    ),
    path(
        "t/<str:tid>/industry-apps/<str:app_id>/reject/",
        views.IndustryAppRejectView.as_view(),
        name="industry_app_reject",
    ),
    # Partner side: the industry partner's own tenant, per customer
    path(
        "t/<str:tid>/partner/customers/<str:customer_id>/industry-apps/",
        views.PartnerCustomerIndustryAppsView.as_view(),
        name="partner_customer_industry_apps",
    ),
]
