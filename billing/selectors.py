"""Reads of the catalog, subscriptions and billing settings; tenant data is tenant-scoped.

Which subscriptions a caller sees in a tenant:
- members (own or delegated roles) with `billing.read`: all of them;
- a reseller's managers: all of them (a reseller manages the tenant's products and must
  see what the tenant already has);
- an indirect reseller's managers: those bought through it;
- an MPSA partner's managers: those bought through it; and, while the tenant's
  `mpsa_share_purchases` is on, every purchase made through an MPSA partner.
"""

import uuid

from django.db.models import Q

from billing.models import Product, Subscription, TenantSettings
from core.scoping import get_in_tenant_or_404
from partners import relationship_types as types
from relationships.models import PartnerRelationship
from roles.permissions import (
    BILLING_READ,
    PURCHASES_MPSA_READ,
    SUBSCRIPTIONS_RESELL,
    SUBSCRIPTIONS_RESELL_OWN,
)


def products(*, include_retired: bool = False):
    """The catalog, by name (one query)."""
    qs = Product.objects.all()
    if not include_retired:
        qs = qs.filter(is_active=True)
    return qs.order_by("name", "sku")


def product_on_sale(product_id) -> Product | None:
    try:
        pk = product_id if isinstance(product_id, uuid.UUID) else uuid.UUID(str(product_id))
    except (ValueError, TypeError, AttributeError):
        return None
    return Product.objects.filter(pk=pk, is_active=True).first()


def settings_for(tenant) -> TenantSettings:
    """The tenant's billing settings (unsaved defaults before the first change)."""
    row = TenantSettings.objects.filter(tenant=tenant).first()
    return row if row is not None else TenantSettings(tenant=tenant)


def mpsa_partner_ids(tenant) -> set:
    """Partner tenants whose MPSA partner type is in force with tenant (one query)."""
    rows = (
        PartnerRelationship.objects.filter(customer=tenant)
        .exclude(types=[])
        .values_list("partner_id", "types")
    )
    return {pid for pid, codes in rows if types.MPSA_PARTNER in codes}


def visibility(tenant, tenant_access, *, as_partner=None) -> Q:
    """The filter of the subscriptions the caller sees in tenant (see the module doc).

    as_partner: only what the user sees through that partner tenant (the partner's pages).
    """
    if as_partner is None and tenant_access.has(BILLING_READ):
        return Q()

    def through(perm) -> set:
        ids = tenant_access.capability_partners(perm)
        return ids & {as_partner} if as_partner is not None else ids

    if through(SUBSCRIPTIONS_RESELL):
        return Q()
    seen = Q(pk__in=[])
    own = through(SUBSCRIPTIONS_RESELL_OWN)
    if own:
        seen |= Q(partner_id__in=own)
    mpsa = through(PURCHASES_MPSA_READ)
    if mpsa:
        seen |= Q(partner_id__in=mpsa)
        if settings_for(tenant).mpsa_share_purchases:
            seen |= Q(channel=Subscription.Channel.MPSA_PARTNER)
    return seen


def subscriptions_for(tenant, tenant_access, *, as_partner=None):
    """The tenant's subscriptions the caller sees, newest first (billing.filters narrows)."""
    return (
        Subscription.objects.filter(tenant=tenant)
        .filter(visibility(tenant, tenant_access, as_partner=as_partner))
        .select_related("product", "partner", "bought_by")
        .order_by("-bought_at", "-pk")
    )


def get_subscription_or_404(tenant, tenant_access, subscription_id, *, as_partner=None):
    """One subscription the caller sees in tenant; NotFound if missing, foreign or hidden."""
    return get_in_tenant_or_404(
        Subscription.objects.filter(
            visibility(tenant, tenant_access, as_partner=as_partner)
        ).select_related("product", "partner", "bought_by"),
        tenant,
        pk=subscription_id,
    )


def customer_relationship_or_404(partner, customer_id) -> PartnerRelationship:
    """The partner's relationship in force with customer_id (for the partner's pages)."""
    return get_in_tenant_or_404(
        PartnerRelationship.objects.exclude(types=[]).select_related("customer"),
        partner,
        tenant_field="partner",
        customer_id=customer_id,
    )
