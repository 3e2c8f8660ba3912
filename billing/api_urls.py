from django.urls import path

from billing import api

urlpatterns = [
    path("products", api.ProductsView.as_view(), name="api-products"),
    path(
        "tenants/<str:tid>/subscriptions",
        api.SubscriptionsView.as_view(),
        name="api-subscriptions",
    ),
    path(
        "tenants/<str:tid>/subscriptions/<str:sid>",
        api.SubscriptionDetailView.as_view(),
        name="api-subscription",
    ),
    path(
        "tenants/<str:tid>/settings",
        api.BillingSettingsView.as_view(),
        name="api-billing-settings",
    ),
]
