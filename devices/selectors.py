"""Reads of the device registry; each is scoped to a tenant, and an OEM's to its own devices."""

from core.scoping import get_in_tenant_or_404
from devices.models import AutopilotDevice
from roles import access
from roles.permissions import DEVICES_MANAGE, DEVICES_REGISTER


def _listed():
    # The hash is long (kilobytes) and lists do not show it.
    return AutopilotDevice.objects.select_related("registered_by", "registered_by_partner").defer(
        "hardware_hash"
    )


def _visible(tenant_access, qs):
    # All with devices.manage; an OEM's manager, those its partner registered.
    return access.capability_scope(
        tenant_access,
        qs,
        unless=DEVICES_MANAGE,
        capability=DEVICES_REGISTER,
        field="registered_by_partner_id",
    )


def visible_devices(tenant, tenant_access):
    """The devices of tenant the user may see, newest first (devices.filters narrows)."""
    return _visible(tenant_access, _listed().filter(tenant=tenant)).order_by(
        "-registered_at", "-pk"
    )


def devices_registered_by(tenant, partner):
    """The devices partner registered for tenant (the partner's own pages)."""
    return (
        _listed()
        .filter(tenant=tenant, registered_by_partner=partner)
        .order_by("-registered_at", "-pk")
    )


def get_device_or_404(tenant, device_id, tenant_access):
    """One device of tenant that the user may see; NotFound otherwise (one query)."""
    qs = AutopilotDevice.objects.select_related("registered_by", "registered_by_partner")
    return get_in_tenant_or_404(_visible(tenant_access, qs), tenant, pk=device_id)
