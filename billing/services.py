"""State changes of subscriptions and billing settings.

Who may do what (the resolver decides; see roles/permissions.py):
- the customer's own people with `billing.manage`: buy directly (channel direct), or place
  an order through one of the tenant's MPSA partners (channel mpsa_partner); change,
  suspend, reactivate and cancel any subscription; switch MPSA sharing.
- a reseller's managers (capability `subscriptions.resell`): buy (channel reseller),
  change and cancel any subscription of the tenant.
- an indirect reseller's managers (`subscriptions.resell_own`): buy (channel
  indirect_reseller), change and cancel only the subscriptions bought through it (others:
  404 for it).
- an MPSA (purchasing) partner's managers (`subscriptions.mpsa`): buy (channel
  mpsa_partner), change and cancel only the purchases made through it.
A partner acts only while the customer has accepted the newest customer agreement (409
`agreement_required`). Each change: one transaction, one audit event (the partner as
acting tenant when a partner acts), and the customer's billing admins are mailed when a
partner acted.
"""

import calendar
import uuid
from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import selectors as agreements
from audit.services import record
from billing import selectors
from billing.models import Product, Subscription, TenantSettings
from core.errors import InvalidState, NotFound, PermissionDenied, ValidationError
from core.scoping import get_in_tenant_or_404
from core.statemachine import transition
from roles import access
from roles.notify import notify_admins
from roles.permissions import (
    BILLING_MANAGE,
    SUBSCRIPTIONS_MPSA,
    SUBSCRIPTIONS_RESELL,
    SUBSCRIPTIONS_RESELL_OWN,
)
from tenants.models import Tenant, User

Status = Subscription.Status
Channel = Subscription.Channel

TRANSITIONS = {
    (Status.ACTIVE, "suspend"): Status.SUSPENDED,
    (Status.ACTIVE, "cancel"): Status.CANCELLED,
    (Status.SUSPENDED, "reactivate"): Status.ACTIVE,
    (Status.SUSPENDED, "cancel"): Status.CANCELLED,
}
# PATCH {"status": ...} names the target; these are the events that reach it.
EVENT_FOR_STATUS = {
    Status.CANCELLED: "cancel",
    Status.SUSPENDED: "suspend",
    Status.ACTIVE: "reactivate",
}

AUDIT_ACTIONS = {
    "cancel": "subscription.cancelled",
    "suspend": "subscription.suspended",
    "reactivate": "subscription.reactivated",
}

MAX_QUANTITY = 100_000
BUY_PERMS = (BILLING_MANAGE, SUBSCRIPTIONS_RESELL, SUBSCRIPTIONS_RESELL_OWN, SUBSCRIPTIONS_MPSA)
# Channels whose partner manages only what was bought through it.
OWN_ONLY = (Channel.INDIRECT_RESELLER, Channel.MPSA_PARTNER)


# Who acts -------------------------------------------------------------------------------


def _as_uuid(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        raise NotFound() from None


def _partners_acting(by_access) -> dict:
    """{partner tenant id: channel} of the partners the user may buy through here."""
    partners = {
        pid: Channel.MPSA_PARTNER for pid in by_access.capability_partners(SUBSCRIPTIONS_MPSA)
    }
    partners.update(
        {
            pid: Channel.INDIRECT_RESELLER
            for pid in by_access.capability_partners(SUBSCRIPTIONS_RESELL_OWN)
        }
    )
    # A partner that is both kinds acts as the (broader) reseller.
    partners.update(
        {pid: Channel.RESELLER for pid in by_access.capability_partners(SUBSCRIPTIONS_RESELL)}
    )
    return partners


def _actor(by_access, tenant, partner_tenant_id, *, buying: bool) -> tuple:
    """(partner id or None, channel, partner acts?) for the caller in tenant.

    Without partner_tenant_id a customer's billing manager acts for the tenant itself; a
    partner manager acting through one partner needs not name it; through several, must.
    """
    if partner_tenant_id in (None, ""):
        if by_access.has(BILLING_MANAGE):
            return None, Channel.DIRECT, False
        partners = _partners_acting(by_access)
        if len(partners) == 1:
            (pid, channel), *_rest = partners.items()
            return pid, channel, True
        if not partners:
            raise PermissionDenied(_("You may not buy or manage subscriptions here."))
        raise ValidationError(
            _("Name the partner you act for."),
            code="partner_required",
            errors={"partner_tenant_id": [_("Required: you act for several partners here.")]},
        )
    pid = _as_uuid(partner_tenant_id)
    partners = _partners_acting(by_access)
    if pid in partners:
        return pid, partners[pid], True
    # The customer's own order placed through one of its MPSA (purchasing) partners.
    if buying and by_access.has(BILLING_MANAGE) and pid in selectors.mpsa_partner_ids(tenant):
        return pid, Channel.MPSA_PARTNER, False
    raise NotFound()


def _require_agreement(tenant) -> None:
    if not agreements.has_accepted(tenant):
        raise InvalidState(
            _("The customer must accept the customer agreement first."),
            code="agreement_required",
        )


def _lock(tenant, subscription_id, *, partner_id, channel) -> Subscription:
    """The subscription, locked; an indirect reseller reaches only its own (else 404)."""
    qs = Subscription.objects.select_for_update(of=("self",)).select_related("product", "partner")
    if channel in OWN_ONLY and partner_id is not None:
        qs = qs.filter(partner_id=partner_id)
    return get_in_tenant_or_404(qs, tenant, pk=subscription_id)


def _quantity(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except (TypeError, ValueError):
            value = None
    if value is None or not 1 <= value <= MAX_QUANTITY:
        raise ValidationError(
            _("Check the highlighted fields."),
            errors={"quantity": [_("A whole number from 1 to %(max)d.") % {"max": MAX_QUANTITY}]},
        )
    return value


def renewal_from(day: date, term: str) -> date:
    """The day one term after `day` (the same day of the month, or the month's last)."""
    months = 12 if term == Product.Term.ANNUAL else 1
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# Mail -----------------------------------------------------------------------------------


def _mail_billing_admins(tenant, subscription, *, by, partner_id, template, extra=None) -> None:
    """Tell the customer's billing managers what a partner did (on commit, via the outbox)."""
    partner_name = Tenant.objects.filter(pk=partner_id).values_list("name", flat=True).first()
    context = {
        "tenant_name": tenant.name,
        "partner_name": partner_name or "",
        "actor": by.email,
        "product_name": subscription.product.name,
        "quantity": subscription.quantity,
        "billing_url": settings.SITE_URL + reverse("billing_subscriptions", args=[tenant.pk]),
        **(extra or {}),
    }
    notify_admins(tenant=tenant, permission=BILLING_MANAGE, template=template, context=context)


def _summary(subscription) -> dict:
    return {
        "product": subscription.product.sku,
        "quantity": subscription.quantity,
        "status": subscription.status,
        "channel": subscription.channel,
        "partner_id": subscription.partner_id,
    }


# Services -------------------------------------------------------------------------------


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
