"""Reads of the device registry; each is scoped to a tenant, and an OEM's to its own devices."""

from django.db.models import Q

from core.scoping import get_in_tenant_or_404
from devices.models import AutopilotDevice
from roles.permissions import DEVICES_MANAGE, DEVICES_REGISTER


def _search(qs, q: str):
    if q:
        qs = qs.filter(
            Q(serial_number__icontains=q)
            | Q(manufacturer__icontains=q)
            | Q(model__icontains=q)
            | Q(group_tag__icontains=q)
        )
    return qs


def _listed():
    # The hash is long (kilobytes) and lists do not show it.
    return AutopilotDevice.objects.select_related("registered_by", "registered_by_partner").defer(
        "hardware_hash"
    )


def visible_devices(tenant, tenant_access, *, q: str = ""):
    """The devices of tenant the user may see: all with devices.manage; an OEM's manager,
    those its partner registered (one query)."""
    qs = _listed().filter(tenant=tenant)
    if not tenant_access.has(DEVICES_MANAGE):
        partners = tenant_access.capability_partners(DEVICES_REGISTER)
        qs = qs.filter(registered_by_partner_id__in=list(partners))
    return _search(qs, q).order_by("-registered_at", "-pk")


def devices_registered_by(tenant, partner, *, q: str = ""):
    """The devices partner registered for tenant (the partner's own pages)."""
    qs = _listed().filter(tenant=tenant, registered_by_partner=partner)
    return _search(qs, q).order_by("-registered_at", "-pk")


def get_device_or_404(tenant, device_id, tenant_access):
    """One device of tenant that the user may see; NotFound otherwise (one query)."""
    qs = AutopilotDevice.objects.select_related("registered_by", "registered_by_partner")
    if not tenant_access.has(DEVICES_MANAGE):
        partners = tenant_access.capability_partners(DEVICES_REGISTER)
        qs = qs.filter(registered_by_partner_id__in=list(partners))
    return get_in_tenant_or_404(qs, tenant, pk=device_id)
