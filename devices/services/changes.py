"""Changing a registered device: its group tag, or removing it from the registry."""

from django.db import transaction

from audit.services import record
from core.errors import ValidationError
from core.scoping import get_in_tenant_or_404
from devices.models import AutopilotDevice
from devices.services.fields import Refused, _text
from devices.services.registration import _actor
from roles import access
from roles.permissions import DEVICES_MANAGE, DEVICES_REGISTER
from tenants.models import Tenant, User


@transaction.atomic
def change_group_tag(*, by: User, tenant: Tenant, device_id, group_tag: str) -> AutopilotDevice:
    """Change a device's group tag (the tenant's device admins)."""
    by_access = access.require(by, tenant, DEVICES_MANAGE)
    device = get_in_tenant_or_404(AutopilotDevice.objects.select_for_update(), tenant, pk=device_id)
    try:
        tag = _text({"group_tag": group_tag}, "group_tag")
    except Refused as refused:
        raise ValidationError(refused.message, errors={"group_tag": [refused.message]}) from None
    if tag == device.group_tag:
        return device
    before = device.group_tag
    device.group_tag = tag
    device.save(update_fields=["group_tag", "updated_at"])
    record(
        "autopilot_device.group_tag_changed",
        actor=by,
        target_tenant=tenant,
        obj=device,
        before={"group_tag": before},
        after={"group_tag": tag},
        access=by_access,
    )
    return device


@transaction.atomic
def deregister(*, by: User, tenant: Tenant, device_id, partner_tenant_id=None) -> None:
    """Remove a device from the registry: the tenant's device admins, or the OEM that
    registered it (with partner_tenant_id, only as that OEM)."""
    by_access = access.require(by, tenant, (DEVICES_MANAGE, DEVICES_REGISTER))
    devices = AutopilotDevice.objects.select_for_update()
    as_oem = partner_tenant_id not in (None, "") or not by_access.has(DEVICES_MANAGE)
    if partner_tenant_id not in (None, ""):
        _by_access, partner_id = _actor(by, tenant, partner_tenant_id)
        devices = devices.filter(registered_by_partner_id=partner_id)
    elif as_oem:
        # An OEM reaches only its own registrations; others read as missing (404).
        devices = access.capability_scope(
            by_access,
            devices,
            unless=DEVICES_MANAGE,
            capability=DEVICES_REGISTER,
            field="registered_by_partner_id",
        )
    device = get_in_tenant_or_404(devices, tenant, pk=device_id)
    acting = device.registered_by_partner_id if as_oem else None
    record(
        "autopilot_device.deregistered",
        actor=by,
        target_tenant=tenant,
        acting_tenant=acting,
        obj=device,
        before={
            "serial_number": device.serial_number,
            "group_tag": device.group_tag,
            "hash_digest": device.hash_digest,
            "registered_by_partner": str(device.registered_by_partner_id or ""),
        },
        access=by_access,
    )
    device.delete()
