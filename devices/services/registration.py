"""Registering devices: one, or a list (the API), and the bulk path a CSV upload shares.

The customer's own admins act with `devices.manage`; an OEM partner's managers act with
the `devices.register` capability and are recorded as the acting tenant; the customer's
device admins are told by mail what an OEM registered.
"""

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.services import record
from core.errors import ValidationError
from devices.models import AutopilotDevice
from devices.services.fields import (
    ALREADY_REGISTERED,
    DUPLICATE_IN_UPLOAD,
    Refused,
    already_registered_message,
    clean_device,
)
from roles import access
from roles.notify import notify_admins
from roles.permissions import DEVICES_MANAGE, DEVICES_REGISTER
from tenants.models import Tenant, User

MAX_LIST_ITEMS = 500  # devices in one API request (a JSON list)
INSERT_CHUNK = 500


@dataclass
class RowResult:
    """What happened to one row of an upload (or one item of an API list)."""

    row: int
    serial_number: str
    device_id: uuid.UUID | None = None
    code: str = ""
    reason: str = ""

    @property
    def accepted(self) -> bool:
        return self.device_id is not None

    @property
    def status(self) -> str:
        return "accepted" if self.accepted else "refused"


@dataclass
class UploadResult:
    results: list[RowResult] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return sum(1 for r in self.results if r.accepted)

    @property
    def refused(self) -> int:
        return len(self.results) - self.accepted


def _actor(by: User, tenant: Tenant, partner_tenant_id) -> tuple:
    """(access, OEM partner id or None): the tenant's own admin, or an OEM's manager."""
    by_access = access.require(by, tenant, (DEVICES_MANAGE, DEVICES_REGISTER))
    if partner_tenant_id in (None, "") and by_access.has(DEVICES_MANAGE):
        return by_access, None
    return by_access, access.capability_partner(by_access, DEVICES_REGISTER, partner_tenant_id)


def _new_device(tenant, cleaned, by, partner_id) -> AutopilotDevice:
    return AutopilotDevice(
        tenant=tenant, registered_by=by, registered_by_partner_id=partner_id, **cleaned
    )


def _insert_one(device: AutopilotDevice) -> None:
    try:
        with transaction.atomic():  # a savepoint: a lost race refuses this device only
            device.save(force_insert=True)
    except IntegrityError:
        raise Refused(ALREADY_REGISTERED, already_registered_message(), "hardware_hash") from None


def _mail_customer(tenant, partner_id, by, count: int) -> None:
    """Tell the customer's device admins what an OEM registered."""
    partner_name = Tenant.objects.filter(pk=partner_id).values_list("name", flat=True).first()
    notify_admins(
        tenant=tenant,
        permission=DEVICES_MANAGE,
        template="device_registered",
        context={
            "tenant_name": tenant.name,
            "partner_name": partner_name or "",
            "actor": by.name,
            "count": count,
            "devices_url": settings.SITE_URL + reverse("devices", args=[tenant.pk]),
        },
    )


@transaction.atomic
def register_device(
    *, by: User, tenant: Tenant, partner_tenant_id=None, **fields
) -> AutopilotDevice:
    """Register one device for tenant (its admin, or an OEM partner's manager)."""
    by_access, partner_id = _actor(by, tenant, partner_tenant_id)
    try:
        cleaned = clean_device(fields)
        if AutopilotDevice.objects.filter(hash_digest=cleaned["hash_digest"]).exists():
            raise Refused(ALREADY_REGISTERED, already_registered_message(), "hardware_hash")
        device = _new_device(tenant, cleaned, by, partner_id)
        _insert_one(device)
    except Refused as refused:
        code = ALREADY_REGISTERED if refused.code == ALREADY_REGISTERED else "invalid"
        errors = {refused.field: [refused.message]} if refused.field else {}
        raise ValidationError(refused.message, code=code, errors=errors) from None
    record(
        "autopilot_device.registered",
        actor=by,
        target_tenant=tenant,
        acting_tenant=partner_id,
        obj=device,
        after={
            "serial_number": device.serial_number,
            "manufacturer": device.manufacturer,
            "model": device.model,
            "group_tag": device.group_tag,
            "hash_digest": device.hash_digest,
        },
        access=by_access,
    )
    if partner_id:
        _mail_customer(tenant, partner_id, by, 1)
    return device


def _register_rows(*, by, tenant, partner_id, rows, duplicate_message) -> UploadResult:
    """Register (row number, raw fields) pairs; a refused row never stops the good ones."""
    results: dict[int, RowResult] = {}
    candidates: list[tuple[int, AutopilotDevice]] = []
    first_row_of: dict[str, int] = {}
    for number, raw in rows:
        serial = raw.get("serial_number") if isinstance(raw, dict) else ""
        result = RowResult(
            row=number, serial_number=(serial if isinstance(serial, str) else "")[:128]
        )
        results[number] = result
        try:
            cleaned = clean_device(raw)
            digest = cleaned["hash_digest"]
            if digest in first_row_of:
                raise Refused(
                    DUPLICATE_IN_UPLOAD,
                    duplicate_message % {"row": first_row_of[digest]},
                    "hardware_hash",
                )
            first_row_of[digest] = number
        except Refused as refused:
            result.code, result.reason = refused.code, refused.message
            continue
        result.serial_number = cleaned["serial_number"]
        candidates.append((number, _new_device(tenant, cleaned, by, partner_id)))

    # Hashes registered already (here or in another tenant): one query per chunk.
    digests = [device.hash_digest for _n, device in candidates]
    taken: set[str] = set()
    for start in range(0, len(digests), INSERT_CHUNK):
        chunk = digests[start : start + INSERT_CHUNK]
        taken.update(
            AutopilotDevice.objects.filter(hash_digest__in=chunk).values_list(
                "hash_digest", flat=True
            )
        )
    fresh = []
    for number, device in candidates:
        if device.hash_digest in taken:
            results[number].code = ALREADY_REGISTERED
            results[number].reason = already_registered_message()
        else:
            fresh.append((number, device))

    # Insert in chunks, each in a savepoint; a chunk that hits a concurrent registration
    # is retried row by row, each row in its own savepoint, so its good rows are kept.
    for start in range(0, len(fresh), INSERT_CHUNK):
        chunk = fresh[start : start + INSERT_CHUNK]
        try:
            with transaction.atomic():
                AutopilotDevice.objects.bulk_create([device for _n, device in chunk])
        except IntegrityError:
            for number, device in chunk:
                try:
                    _insert_one(device)
                except Refused as refused:
                    results[number].code, results[number].reason = refused.code, refused.message
                    continue
                results[number].device_id = device.pk
        else:
            for number, device in chunk:
                results[number].device_id = device.pk
    return UploadResult(results=[results[n] for n, _raw in rows])


def _record_import(*, by, by_access, tenant, partner_id, source, outcome, file_name=""):
    accepted = [r for r in outcome.results if r.accepted]
    record(
        "autopilot_devices.imported",
        actor=by,
        target_tenant=tenant,
        acting_tenant=partner_id,
        after={
            "source": source,
            "file_name": file_name,
            "rows": len(outcome.results),
            "accepted": len(accepted),
            "refused": outcome.refused,
            # Enough to find the devices again; the counts tell whether the list is whole.
            "serial_numbers": [r.serial_number for r in accepted[:100]],
        },
        access=by_access,
    )
    if partner_id and accepted:
        _mail_customer(tenant, partner_id, by, len(accepted))


@transaction.atomic
def register_devices(*, by: User, tenant: Tenant, items, partner_tenant_id=None) -> UploadResult:
    """Register a list of devices (the API's list POST); results per item, indexed from 0."""
    by_access, partner_id = _actor(by, tenant, partner_tenant_id)
    if not isinstance(items, list) or not items:
        raise ValidationError(_("Send at least one device."))
    if len(items) > MAX_LIST_ITEMS:
        raise ValidationError(
            _("At most %(n)d devices per request; upload a CSV file for more.")
            % {"n": MAX_LIST_ITEMS}
        )
    outcome = _register_rows(
        by=by,
        tenant=tenant,
        partner_id=partner_id,
        rows=list(enumerate(items)),
        duplicate_message=_("The same hardware hash is in item %(row)d of this request."),
    )
    _record_import(
        by=by,
        by_access=by_access,
        tenant=tenant,
        partner_id=partner_id,
        source="api",
        outcome=outcome,
    )
    return outcome
