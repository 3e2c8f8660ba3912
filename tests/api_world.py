"""Fabrikam's API world: fixed-id objects that the API fuzzing and the list tests read.

Fabrikam (the caller's tenant) with users, a group, GDAP from Contoso, a subscription, a
support request, a device, an industry app and a pending invitation. Fixture objects have
fixed ids, so generated cases are the same on every run.
"""

import hashlib
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

# Fixed ids of the fixture's objects (see `fuzz_world`).
TENANT = uuid.UUID("a0000000-0000-4000-8000-000000000001")  # Fabrikam, the caller's tenant
PARTNER = uuid.UUID("b0000000-0000-4000-8000-000000000002")  # Contoso, its partner
ADMIN = uuid.UUID("c0000000-0000-4000-8000-000000000001")  # the caller
HELPDESK_USER = uuid.UUID("c0000000-0000-4000-8000-000000000002")
MEMBER = uuid.UUID("c0000000-0000-4000-8000-000000000003")
GROUP = uuid.UUID("d0000000-0000-4000-8000-000000000001")
RELATIONSHIP = uuid.UUID("e0000000-0000-4000-8000-000000000001")  # active, Contoso -> Fabrikam
DRAFT_RELATIONSHIP = uuid.UUID("e0000000-0000-4000-8000-000000000002")  # created, Fabrikam's own
ASSIGNMENT = uuid.UUID("e1000000-0000-4000-8000-000000000001")
SUBSCRIPTION = uuid.UUID("f0000000-0000-4000-8000-000000000001")
SUPPORT_REQUEST = uuid.UUID("f1000000-0000-4000-8000-000000000001")
DEVICE = uuid.UUID("f2000000-0000-4000-8000-000000000001")
APP = uuid.UUID("f3000000-0000-4000-8000-000000000001")
INVITATION = uuid.UUID("f4000000-0000-4000-8000-000000000001")
INVITATION_TOKEN = "fuzz-invitation-token-0123456789"


@pytest.fixture
def fuzz_world(db):
    """Fabrikam with users, a group, GDAP from Contoso, a subscription, a support request,
    a device, an industry app and a pending invitation; returns the admin's bearer token."""
    from django.apps import apps

    from agreements.defaults import publish_default
    from agreements.models import AgreementVersion
    from billing import catalog as billing_catalog
    from billing.models import Product, Subscription
    from billing.services import renewal_from
    from devices.models import AutopilotDevice
    from devices.services import hash_digest
    from industry.models import IndustryApp
    from support.models import SupportRequest
    from tenants.services import create_api_token
    from tests.factories import SecurityGroupFactory, TenantFactory, member
    from tests.gdap_factories import AccessAssignmentFactory, DelegatedAdminRelationshipFactory
    from tests.partners.conftest import load_curated_lists, make_listing

    # partners/ is being split into packages: look its models up by app label.
    Invitation = apps.get_model("relationships", "Invitation")
    PartnerRelationship = apps.get_model("relationships", "PartnerRelationship")
    billing_catalog.load(Product)
    publish_default(AgreementVersion)
    load_curated_lists()

    fabrikam = TenantFactory(id=TENANT, name="Fabrikam", slug="fabrikam", country="DE")
    contoso = TenantFactory(id=PARTNER, name="Contoso", slug="contoso", country="US")
    admin = member(fabrikam, "Global Administrator", email="alice@fabrikam.example", id=ADMIN)
    helpdesk = member(
        fabrikam, "Helpdesk Administrator", email="hal@fabrikam.example", id=HELPDESK_USER
    )
    carol = member(fabrikam, email="carol@fabrikam.example", id=MEMBER)
    partner_admin = member(contoso, "Global Administrator", email="pat@contoso.example")
    SecurityGroupFactory(id=GROUP, tenant=fabrikam, name="Helpdesk", members=[helpdesk, carol])

    make_listing("Contoso", tenant=contoso, relationship_types=("reseller", "gdap", "advisor"))
    PartnerRelationship.objects.create(
        customer=fabrikam, partner=contoso, types=["reseller", "gdap"]
    )
    gdap = DelegatedAdminRelationshipFactory(
        id=RELATIONSHIP,
        partner=contoso,
        customer=fabrikam,
        display_name="Contoso helpdesk",
        roles=["Helpdesk Administrator", "User Administrator"],
    )
    AccessAssignmentFactory(
        id=ASSIGNMENT,
        relationship=gdap,
        security_group=SecurityGroupFactory(tenant=contoso, members=[partner_admin]),
    )
    DelegatedAdminRelationshipFactory(
        id=DRAFT_RELATIONSHIP,
        partner=fabrikam,
        customer=contoso,
        status="created",
        display_name="Fabrikam draft",
    )

    product = Product.objects.get(sku="M365-BP-M")
    Subscription.objects.create(
        id=SUBSCRIPTION,
        tenant=fabrikam,
        product=product,
        quantity=5,
        channel="direct",
        renewal_date=renewal_from(timezone.localdate(), product.term),
    )
    SupportRequest.objects.create(
        id=SUPPORT_REQUEST,
        tenant=fabrikam,
        title="Mailbox full",
        description="Alice's mailbox is full.",
        created_by=admin,
    )
    hardware_hash = "T0FBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"
    AutopilotDevice.objects.create(
        id=DEVICE,
        tenant=fabrikam,
        hardware_hash=hardware_hash,
        hash_digest=hash_digest(hardware_hash),
        serial_number="SN-0001",
        registered_by=admin,
    )
    IndustryApp.objects.create(
        id=APP,
        tenant=fabrikam,
        partner=contoso,
        name="Contoso Clinic",
        version="1.0",
        summary="Scheduling for clinics.",
        link="https://contoso.example/clinic",
    )
    Invitation.objects.create(
        id=INVITATION,
        partner=contoso,
        email="alice@fabrikam.example",
        customer=fabrikam,
        relationship_types=["advisor"],
        token_hash=hashlib.sha256(INVITATION_TOKEN.encode()).hexdigest(),
        expires_at=timezone.now() + timedelta(days=30),
        created_by=partner_admin,
    )
    _token, raw = create_api_token(by=admin, name="fuzz")
    return raw
