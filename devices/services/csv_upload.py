"""Registering the devices of an Autopilot CSV file (as Get-WindowsAutopilotInfo writes it)."""

import csv
import io

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ValidationError
from devices.services.fields import FIELDS, REQUIRED
from devices.services.registration import UploadResult, _actor, _record_import, _register_rows
from tenants.models import Tenant, User

MAX_ROWS = 5000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

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
