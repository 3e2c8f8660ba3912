"""Demo OEM (seed_demo step): "Northwind Devices", an OEM partner of Fabrikam, with five
registered devices. Writes directly: fixture data, not a user's action. Idempotent."""

import base64
import hashlib

from django.utils import timezone

from devices.models import AutopilotDevice
from devices.services import hash_digest
from partners.models import PartnerProfile
from partners.relationship_types import OEM
from portal.demo import DEMO_PASSWORD
from portal.demo.tenants import demo_user
from relationships.models import PartnerRelationship
from roles.models import RoleDefinition
from tenants.models import Membership, Tenant

OEM_EMAIL = "oem@northwind.example"
MODELS = [
    "Surface Laptop 6",
    "Surface Pro 10",
    "Surface Laptop 6",
    "Surface Go 4",
    "Surface Pro 10",
]


def demo_hash(n: int) -> str:
    """A stable, well-formed (base64) stand-in for a device's hardware hash."""
    raw = b"".join(hashlib.sha256(f"northwind-demo-{n}-{i}".encode()).digest() for i in range(8))
    return base64.b64encode(raw).decode()


def seed(command) -> None:
    customer = Tenant.objects.filter(slug="fabrikam").first()
    if customer is None:
        return
    oem, _created = Tenant.objects.get_or_create(
        slug="northwind-devices",
        defaults={
            "name": "Northwind Devices",
            "country": "US",
            "primary_domain": "northwind.example",
        },
    )
    PartnerProfile.objects.get_or_create(
        tenant=oem,
        defaults={
            "name": oem.name,
            "summary": "Devices shipped ready for Windows Autopilot.",
            "lead_email": OEM_EMAIL,
            "headquarters_country": "US",
            "relationship_types": OEM,
        },
    )
    user = demo_user(OEM_EMAIL, "Olivia OEM", DEMO_PASSWORD)
    membership, _created = Membership.objects.get_or_create(user=user, tenant=oem)
    membership.roles.add(RoleDefinition.objects.get(name="Global Administrator"))
    relationship, _created = PartnerRelationship.objects.get_or_create(
        customer=customer, partner=oem, defaults={"types": [OEM]}
    )
    if OEM not in relationship.types:
        relationship.types = [*relationship.types, OEM]
        relationship.ended_at = None
        relationship.save(update_fields=["types", "ended_at", "updated_at"])
    now = timezone.now()
    for n in range(1, 6):
        hardware_hash = demo_hash(n)
        AutopilotDevice.objects.get_or_create(
            hash_digest=hash_digest(hardware_hash),
            defaults={
                "tenant": customer,
                "hardware_hash": hardware_hash,
                "serial_number": f"NWD-{4200 + n}",
                "product_key_id": f"00330-80000-00000-AA{100 + n}",
                "manufacturer": "Northwind Devices",
                "model": MODELS[n - 1],
                "group_tag": "Sales" if n <= 3 else "Kiosk",
                "registered_by": user,
                "registered_by_partner": oem,
                "registered_at": now,
            },
        )
    count = AutopilotDevice.objects.filter(tenant=customer, registered_by_partner=oem).count()
    command.stdout.write(
        f"  devices: Northwind Devices (OEM of Fabrikam) registered {count} devices"
    )
    command.stdout.write(
        f"  {OEM_EMAIL:32} partner Northwind Devices (OEM of Fabrikam): Global Administrator"
    )
