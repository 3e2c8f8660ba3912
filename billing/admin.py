from django.contrib import admin

from audit.admin import AuditedModelAdmin, ReadOnlyAdmin
from billing.models import Product, Subscription, TenantSettings


@admin.register(Product)
class ProductAdmin(AuditedModelAdmin):
    """The catalog: support staff add products, change prices and retire them."""

    list_display = ["name", "sku", "unit_price", "currency", "term", "is_active"]
    list_filter = ["is_active", "term", "currency"]
    search_fields = ["name", "sku", "summary"]
    readonly_fields = ["id"]

    def has_delete_permission(self, request, obj=None):
        # Subscriptions refer to products: retire one (untick "on sale") instead.
        return False


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    """Look-up only: subscriptions change through the portal's services (audited there)."""

    list_display = [
        "product",
        "tenant",
        "quantity",
        "status",
        "channel",
        "partner",
        "bought_by",
        "bought_at",
        "renewal_date",
    ]
    list_filter = ["status", "channel", "bought_at"]
    search_fields = ["tenant__name", "partner__name", "product__name", "product__sku", "id"]
    list_select_related = ["product", "tenant", "partner", "bought_by"]
    date_hierarchy = "bought_at"


@admin.register(TenantSettings)
class TenantSettingsAdmin(ReadOnlyAdmin):
    list_display = ["tenant", "mpsa_share_purchases", "updated_by", "updated_at"]
    list_filter = ["mpsa_share_purchases"]
    search_fields = ["tenant__name"]
    list_select_related = ["tenant", "updated_by"]
