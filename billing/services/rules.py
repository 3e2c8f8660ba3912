"""What the subscription services share: the status moves, who may buy through which
channel, the quantity and renewal rules, and the steps each action takes (lock, agreement
check, mail to the billing admins). billing.services has the whole picture."""

import calendar
import uuid
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements import selectors as agreements
from billing import selectors
from billing.models import Product, Subscription
from core.errors import InvalidState, NotFound, PermissionDenied, ValidationError
from core.scoping import get_in_tenant_or_404
from roles.notify import notify_admins
from roles.permissions import (
    BILLING_MANAGE,
    SUBSCRIPTIONS_MPSA,
    SUBSCRIPTIONS_RESELL,
    SUBSCRIPTIONS_RESELL_OWN,
)
from tenants.models import Tenant

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
