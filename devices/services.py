"""State changes of the device registry: register (one, a list, a CSV file), change the
group tag, deregister.

The customer's own admins act with `devices.manage`; an OEM partner's managers act with
the `devices.register` capability (the oem relationship type in force) and reach only
the devices their partner registered. Each service: one transaction, a check through the
access resolver, exactly one audit event (a partner's records the partner as acting
tenant), mail queued through the outbox on commit.
"""

import base64
import binascii
import csv
import hashlib
import io
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record
from core.errors import PermissionDenied, ValidationError
from core.notify import notify_admins
from core.scoping import get_in_tenant_or_404
from devices.models import AutopilotDevice
from roles import access
from roles.permissions import DEVICES_MANAGE, DEVICES_REGISTER
from tenants.models import Tenant, User

MAX_ROWS = 5000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_LIST_ITEMS = 500  # devices in one API request (a JSON list)
HASH_MIN_BYTES = 16
HASH_MAX_CHARS = 16384
INSERT_CHUNK = 500

# The API's field names, in the order of the Autopilot CSV columns.
FIELDS = (
    "serial_number",
    "product_key_id",
    "hardware_hash",
    "manufacturer",
    "model",
    "group_tag",
)
REQUIRED = ("serial_number", "hardware_hash")
LIMITS = {
    "serial_number": 128,
    "product_key_id": 64,
    "manufacturer": 128,
    "model": 128,
    "group_tag": 128,
}
LABELS = {
    "serial_number": gettext_lazy("Device Serial Number"),
    "product_key_id": gettext_lazy("Windows Product ID"),
    "hardware_hash": gettext_lazy("Hardware Hash"),
    "manufacturer": gettext_lazy("Manufacturer name"),
    "model": gettext_lazy("Device model"),
    "group_tag": gettext_lazy("Group Tag"),
}
# The header of Microsoft's Autopilot CSV (Get-WindowsAutopilotInfo writes the same).
CSV_HEADER = (
    "Device Serial Number",
    "Windows Product ID",
    "Hardware Hash",
    "Manufacturer name",
    "Device model",
    "Group Tag",
)
HEADER_FIELDS = {
    **{name.lower(): f for name, f in zip(CSV_HEADER, FIELDS, strict=True)},
    **{f: f for f in FIELDS},
}

# Why a device was refused (stable codes for the API's per-item results).
MISSING_FIELD = "missing_field"
INVALID_FIELD = "invalid"
INVALID_HASH = "invalid_hash"
DUPLICATE_IN_UPLOAD = "duplicate_in_upload"
ALREADY_REGISTERED = "already_registered"


class Refused(Exception):
    """One device's refusal: a code, a sentence for people and the field it is about."""

    def __init__(self, code: str, message: str, field: str = ""):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def already_registered_message() -> str:
    # The same sentence whichever tenant holds the hash: it must not say which.
    return _("This hardware hash is already registered.")


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


# Who acts --------------------------------------------------------------------------------


def _as_uuid(value):
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def _actor(by: User, tenant: Tenant, partner_tenant_id) -> tuple:
    """(access, OEM partner id or None): the tenant's own admin, or an OEM's manager."""
    by_access = access.require(by, tenant, (DEVICES_MANAGE, DEVICES_REGISTER))
    if partner_tenant_id not in (None, ""):
        partner_id = _as_uuid(partner_tenant_id)
        if partner_id is None or partner_id not in by_access.capability_partners(DEVICES_REGISTER):
            raise PermissionDenied(
                _("That organisation is not an OEM partner of this tenant, or not yours.")
            )
        return by_access, partner_id
    if by_access.has(DEVICES_MANAGE):
        return by_access, None
    partners = by_access.capability_partners(DEVICES_REGISTER)
    if len(partners) == 1:
        return by_access, next(iter(partners))
    raise ValidationError(
        _("You manage more than one OEM partner of this tenant: say which one."),
        errors={"partner_tenant_id": [_("Required.")]},
    )


# Input -----------------------------------------------------------------------------------


def _text(raw: dict, name: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Refused(INVALID_FIELD, _("%(field)s must be text.") % {"field": LABELS[name]}, name)
    value = value.strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise Refused(
            INVALID_FIELD,
            _("%(field)s contains control characters.") % {"field": LABELS[name]},
            name,
        )
    limit = LIMITS.get(name)
    if limit and len(value) > limit:
        raise Refused(
            INVALID_FIELD,
            _("%(field)s: at most %(n)d characters.") % {"field": LABELS[name], "n": limit},
            name,
        )
    return value


def _hash(raw: dict) -> tuple[str, str]:
    """(the hash as stored, its SHA-256 digest); the hash is base64 text."""
    value = raw.get("hardware_hash")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Refused(
            MISSING_FIELD,
            _("Missing %(field)s.") % {"field": LABELS["hardware_hash"]},
            "hardware_hash",
        )
    message = _("The hardware hash is not valid: base64 text as Windows reports it is expected.")
    if not isinstance(value, str):
        raise Refused(INVALID_HASH, message, "hardware_hash")
    compact = "".join(value.split())
    if len(compact) > HASH_MAX_CHARS:
        raise Refused(INVALID_HASH, message, "hardware_hash")
    try:
        decoded = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise Refused(INVALID_HASH, message, "hardware_hash") from None
    if len(decoded) < HASH_MIN_BYTES:
        raise Refused(INVALID_HASH, message, "hardware_hash")
    return compact, hashlib.sha256(decoded).hexdigest()


def clean_device(raw) -> dict:
    """The device fields ready to store, with hash_digest; Refused when not."""
    if not isinstance(raw, dict):
        raise Refused(INVALID_FIELD, _("A device is an object of fields."))
    cleaned = {}
    for name in FIELDS:
        if name != "hardware_hash":
            cleaned[name] = _text(raw, name)
    if not cleaned["serial_number"]:
        raise Refused(
            MISSING_FIELD,
            _("Missing %(field)s.") % {"field": LABELS["serial_number"]},
            "serial_number",
        )
    cleaned["hardware_hash"], cleaned["hash_digest"] = _hash(raw)
    return cleaned


def hash_digest(hardware_hash: str) -> str:
    """The digest a hash is stored under (for tests and the demo)."""
    return _hash({"hardware_hash": hardware_hash})[1]


# Writes ----------------------------------------------------------------------------------


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


def _decode(data: bytes) -> str:
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not a text CSV file (UTF-8 or UTF-16 expected)."),
            errors={"file": [_("Not a text CSV file.")]},
        ) from None


def parse_csv(data: bytes) -> list[tuple[int, dict]]:
    """(row number, fields) of each device row; the header row is row 1."""
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header_help = _("The first row must be the Autopilot header: %(header)s.") % {
        "header": ",".join(CSV_HEADER)
    }
    rows: list[tuple[int, dict]] = []
    try:
        header = next(reader, None)
        columns = [HEADER_FIELDS.get(name.strip().lower()) for name in header or []]
        known = [c for c in columns if c]
        if not header or len(known) != len(set(known)) or not set(REQUIRED) <= set(known):
            raise ValidationError(header_help, errors={"file": [header_help]})
        number = 1
        for cells in reader:
            number += 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                message = _("At most %(n)s devices per file.") % {"n": f"{MAX_ROWS:,}"}
                raise ValidationError(message, errors={"file": [message]})
            raw = {name: "" for name in known}
            for name, cell in zip(columns, cells, strict=False):
                if name:
                    raw[name] = cell
            rows.append((number, raw))
    except csv.Error as exc:
        message = _("Row %(row)d is not valid CSV: %(error)s") % {
            "row": reader.line_num,
            "error": exc,
        }
        raise ValidationError(message, errors={"file": [message]}) from None
    if not rows:
        message = _("The file has no devices below its header row.")
        raise ValidationError(message, errors={"file": [message]})
    return rows


@transaction.atomic
def register_devices_csv(*, by: User, tenant: Tenant, file, partner_tenant_id=None) -> UploadResult:
    """Register the devices of an Autopilot CSV file; results per row; one audit event."""
    by_access, partner_id = _actor(by, tenant, partner_tenant_id)
    if file is None:
        message = _("Choose a CSV file.")
        raise ValidationError(message, errors={"file": [message]})
    too_big = _("The file is larger than %(mb)d MB; split it.") % {
        "mb": MAX_UPLOAD_BYTES // (1024 * 1024)
    }
    if (getattr(file, "size", 0) or 0) > MAX_UPLOAD_BYTES:
        raise ValidationError(too_big, errors={"file": [too_big]})
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(too_big, errors={"file": [too_big]})
    rows = parse_csv(data)
    outcome = _register_rows(
        by=by,
        tenant=tenant,
        partner_id=partner_id,
        rows=rows,
        duplicate_message=_("The same hardware hash is in row %(row)d of this file."),
    )
    _record_import(
        by=by,
        by_access=by_access,
        tenant=tenant,
        partner_id=partner_id,
        source="csv",
        outcome=outcome,
        file_name=str(getattr(file, "name", "") or "")[:200],
    )
    return outcome


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
        partners = by_access.capability_partners(DEVICES_REGISTER)
        devices = devices.filter(registered_by_partner_id__in=list(partners))
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
