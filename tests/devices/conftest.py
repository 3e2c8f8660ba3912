"""Device registry fixtures: Contoso as Fabrikam's OEM, hashes, devices, CSV files."""

import base64
import hashlib
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from devices.models import AutopilotDevice
from devices.services import CSV_HEADER, hash_digest
from relationships.models import PartnerRelationship

PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def hw_hash(n) -> str:
    """A well-formed hardware hash (base64), distinct per n."""
    raw = b"".join(hashlib.sha256(f"device-{n}-{i}".encode()).digest() for i in range(4))
    return base64.b64encode(raw).decode()


def device_body(n, **extra) -> dict:
    return {
        "serial_number": f"SN-{n}",
        "hardware_hash": hw_hash(n),
        "manufacturer": "Contoso Devices",
        "model": "Laptop 7",
        **extra,
    }


def make_device(tenant, n, *, by=None, partner=None, **extra) -> AutopilotDevice:
    body = device_body(n, **extra)
    return AutopilotDevice.objects.create(
        tenant=tenant,
        hash_digest=hash_digest(body["hardware_hash"]),
        registered_by=by,
        registered_by_partner=partner,
        **body,
    )


def csv_file(rows, header=CSV_HEADER, *, name="devices.csv", delimiter=",", encoding="utf-8"):
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    return SimpleUploadedFile(
        name, ("\r\n".join(lines) + "\r\n").encode(encoding), content_type="text/csv"
    )


def csv_row(n, *, serial=None, hardware_hash=None, tag="Sales"):
    return [
        f"SN-{n}" if serial is None else serial,
        "00330-80000",
        hw_hash(n) if hardware_hash is None else hardware_hash,
        "Contoso Devices",
        "Laptop 7",
        tag,
    ]


def relate(customer, partner, *types):
    return PartnerRelationship.objects.create(customer=customer, partner=partner, types=list(types))


@pytest.fixture
def oem(customer, partner_tenant):
    """Contoso is Fabrikam's OEM (the type in force)."""
    return relate(customer, partner_tenant, "oem")


@pytest.fixture
def oem_admin(oem, partner_admin):
    """Contoso's Global Administrator: partners.manage there, so devices.register here."""
    return partner_admin


def devices_url(tenant, device_id=None) -> str:
    base = f"/api/v1/tenants/{tenant.pk}/autopilot-devices"
    return f"{base}/{device_id}" if device_id else base


def fill(route: str, **values) -> str:
    return "/api/v1/" + PARAM.sub(lambda m: str(values.get(m.group(1), uuid.uuid4())), route)
