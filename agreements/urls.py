from django.urls import path

from agreements import views

urlpatterns = [
    path("agreements/<str:version>/", views.agreement_text, name="agreement_text"),
    path(
        "t/<str:tid>/settings/agreement/",
        views.CustomerAgreementView.as_view(),
        name="customer_agreement",
    ),
]
