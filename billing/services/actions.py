"""The subscription actions (buy, change quantity, cancel, suspend, reactivate, set a
status) and the MPSA sharing switch. billing.services has the whole picture."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from billing import selectors
from billing.models import Subscription, TenantSettings
from billing.services.rules import (
    AUDIT_ACTIONS,
    BUY_PERMS,
    EVENT_FOR_STATUS,
    TRANSITIONS,
    Channel,
    Status,
    _actor,
    _lock,
    _mail_billing_admins,
    _quantity,
    _require_agreement,
    _summary,
    renewal_from,
)
from core.errors import InvalidState, PermissionDenied, ValidationError
from core.statemachine import transition
from roles import access
from roles.permissions import (
    BILLING_MANAGE,
)
from tenants.models import Tenant, User


@transaction.atomic
def buy(*, by: User, tenant: Tenant, product_id, quantity, partner_tenant_id=None) -> Subscription:
    """Buy quantity licences of a product for tenant, directly or through a partner."""
    by_access = access.require(by, tenant, BUY_PERMS)
    partner_id, channel, partner_acts = _actor(by_access, tenant, partner_tenant_id, buying=True)
    if partner_acts:
        _require_agreement(tenant)
    product = selectors.product_on_sale(product_id)
    if product is None:
        raise ValidationError(
            _("Check the highlighted fields."),
            errors={"product_id": [_("Choose a product from the catalog.")]},
        )
    quantity = _quantity(quantity)
    now = timezone.now()
    subscription = Subscription.objects.create(
        tenant=tenant,
        product=product,
        quantity=quantity,
        channel=channel,
        partner_id=partner_id,
        bought_by=by,
        bought_at=now,
        renewal_date=renewal_from(timezone.localdate(now), product.term),
    )
    record(
        "subscription.purchased",
        actor=by,
        target_tenant=tenant,
        acting_tenant=partner_id if partner_acts else None,
        obj=subscription,
        after=_summary(subscription),
        access=by_access,
    )
    if partner_acts:
        _mail_billing_admins(
            tenant, subscription, by=by, partner_id=partner_id, template="subscription_purchased"
        )
    return subscription


@transaction.atomic
def change_quantity(
    *, by: User, tenant: Tenant, subscription_id, quantity, partner_tenant_id=None
) -> Subscription:
    """Change the number of licences of an active subscription."""
    by_access = access.require(by, tenant, BUY_PERMS)
    partner_id, channel, partner_acts = _actor(by_access, tenant, partner_tenant_id, buying=False)
    subscription = _lock(tenant, subscription_id, partner_id=partner_id, channel=channel)
    if partner_acts:
        _require_agreement(tenant)
    quantity = _quantity(quantity)
    if subscription.status != Status.ACTIVE:
        raise InvalidState(
            _("Only an active subscription's quantity can change: it is %(status)s.")
            % {"status": subscription.get_status_display()}
        )
    before = subscription.quantity
    if quantity == before:
        return subscription
    subscription.quantity = quantity
    subscription.save(update_fields=["quantity", "updated_at"])
    record(
        "subscription.quantity_changed",
        actor=by,
        target_tenant=tenant,
        acting_tenant=partner_id if partner_acts else None,
        obj=subscription,
        before={"quantity": before},
        after={"quantity": quantity},
        access=by_access,
    )
    if partner_acts:
        _mail_billing_admins(
            tenant,
            subscription,
            by=by,
            partner_id=partner_id,
            template="subscription_changed",
            extra={"before_quantity": before},
        )
    return subscription


def _move(*, by, tenant, subscription_id, event, partner_tenant_id=None) -> Subscription:
    """Move a subscription along TRANSITIONS; idempotent when already in the target."""
    customer_only = event in ("suspend", "reactivate")
    by_access = access.require(by, tenant, BILLING_MANAGE if customer_only else BUY_PERMS)
    if customer_only:
        if partner_tenant_id not in (None, ""):
            raise PermissionDenied(_("Only the customer suspends and reactivates subscriptions."))
        partner_id, channel, partner_acts = None, Channel.DIRECT, False
    else:
        partner_id, channel, partner_acts = _actor(
            by_access, tenant, partner_tenant_id, buying=False
        )
    subscription = _lock(tenant, subscription_id, partner_id=partner_id, channel=channel)
    if partner_acts:
        _require_agreement(tenant)
    target = next(s for (_src, e), s in TRANSITIONS.items() if e == event)
    if subscription.status == target:
        return subscription
    before = subscription.status
    transition(subscription, event, TRANSITIONS)
    fields = ["status", "updated_at"]
    if event == "cancel":
        subscription.cancelled_at = timezone.now()
        fields.append("cancelled_at")
    subscription.save(update_fields=fields)
    record(
        AUDIT_ACTIONS[event],
        actor=by,
        target_tenant=tenant,
        acting_tenant=partner_id if partner_acts else None,
        obj=subscription,
        before={"status": before},
        after={"status": subscription.status},
        access=by_access,
    )
    if partner_acts:
        _mail_billing_admins(
            tenant, subscription, by=by, partner_id=partner_id, template="subscription_cancelled"
        )
    return subscription


@transaction.atomic
def cancel(*, by: User, tenant: Tenant, subscription_id, partner_tenant_id=None) -> Subscription:
    """Cancel an active or suspended subscription (customer, reseller, or its own
    indirect reseller)."""
    return _move(
        by=by,
        tenant=tenant,
        subscription_id=subscription_id,
        event="cancel",
        partner_tenant_id=partner_tenant_id,
    )


@transaction.atomic
def suspend(*, by: User, tenant: Tenant, subscription_id, partner_tenant_id=None) -> Subscription:
    """Suspend an active subscription (the customer only)."""
    return _move(
        by=by,
        tenant=tenant,
        subscription_id=subscription_id,
        event="suspend",
        partner_tenant_id=partner_tenant_id,
    )


@transaction.atomic
def reactivate(
    *, by: User, tenant: Tenant, subscription_id, partner_tenant_id=None
) -> Subscription:
    """Reactivate a suspended subscription (the customer only)."""
    return _move(
        by=by,
        tenant=tenant,
        subscription_id=subscription_id,
        event="reactivate",
        partner_tenant_id=partner_tenant_id,
    )


def set_status(*, by: User, tenant: Tenant, subscription_id, status: str, partner_tenant_id=None):
    """PATCH {"status"}: the move that reaches status."""
    event = EVENT_FOR_STATUS.get(status)
    if event is None:
        raise ValidationError(
            _("Check the highlighted fields."),
            errors={"status": [_("Choose one of: %(s)s.") % {"s": ", ".join(EVENT_FOR_STATUS)}]},
        )
    service = {"cancel": cancel, "suspend": suspend, "reactivate": reactivate}[event]
    return service(
        by=by, tenant=tenant, subscription_id=subscription_id, partner_tenant_id=partner_tenant_id
    )


@transaction.atomic
def set_mpsa_sharing(*, by: User, tenant: Tenant, on: bool) -> TenantSettings:
    """Let the tenant's MPSA partners see the purchases made through each other (or not)."""
    by_access = access.require(by, tenant, BILLING_MANAGE)
    if not isinstance(on, bool):
        raise ValidationError(
            _("Check the highlighted fields."),
            errors={"mpsa_share_purchases": [_("true or false.")]},
        )
    row, _created = TenantSettings.objects.select_for_update().get_or_create(tenant=tenant)
    if row.mpsa_share_purchases == on:
        return row
    row.mpsa_share_purchases = on
    row.updated_by = by
    row.save(update_fields=["mpsa_share_purchases", "updated_by", "updated_at"])
    record(
        "billing_settings.changed",
        actor=by,
        target_tenant=tenant,
        obj=row,
        before={"mpsa_share_purchases": not on},
        after={"mpsa_share_purchases": on},
        access=by_access,
    )
    return row


def allowed_events(subscription) -> list[str]:
    """The moves the subscription's status allows (for buttons)."""
    return [event for (source, event) in TRANSITIONS if source == subscription.status]
