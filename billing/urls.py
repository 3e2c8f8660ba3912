from django.urls import path

from billing import views

urlpatterns = [
    # Customer side: the tenant's own billing page
    path("t/<str:tid>/billing/", views.BillingView.as_view(), name="billing_subscriptions"),
    # Before <sid>/: "buy" and "settings" are not subscription ids.
    path("t/<str:tid>/billing/buy/", views.BuyView.as_view(), name="billing_buy"),
    path("t/<str:tid>/billing/settings/", views.SettingsView.as_view(), name="billing_settings"),
    path(
        "t/<str:tid>/billing/<str:sid>/",
        views.BillingView.as_view(),
        name="billing_subscription",
    ),
    path(
        "t/<str:tid>/billing/<str:sid>/quantity/",
        views.QuantityView.as_view(),
        name="billing_subscription_quantity",
    ),
    path(
        "t/<str:tid>/billing/<str:sid>/cancel/",
        views.CancelView.as_view(),
        name="billing_subscription_cancel",
    ),
    path(
        "t/<str:tid>/billing/<str:sid>/suspend/",
        views.SuspendView.as_view(),
        name="billing_subscription_suspend",
    ),
    path(
        "t/<str:tid>/billing/<str:sid>/reactivate/",
        views.ReactivateView.as_view(),
        name="billing_subscription_reactivate",
    ),
    # Partner side: inside the partner's own tenant, per customer
    path(
        "t/<str:tid>/partner/customers/<str:customer_id>/subscriptions/",
        views.PartnerCustomerSubscriptionsView.as_view(),
        name="partner_customer_subscriptions",
    ),
    path(
        "t/<str:tid>/partner/customers/<str:customer_id>/subscriptions/<str:sid>/quantity/",
        views.PartnerQuantityView.as_view(),
        name="partner_customer_subscription_quantity",
    ),
    path(
        "t/<str:tid>/partner/customers/<str:customer_id>/subscriptions/<str:sid>/cancel/",
        views.PartnerCancelView.as_view(),
        name="partner_customer_subscription_cancel",
    ),
]
