"""Billing fixtures: Contoso as Fabrikam's reseller, Litware as an indirect reseller,
Adatum and Tailspin as MPSA partners; the catalog comes from the data migration."""

import pytest
from django.utils import timezone

from agreements import selectors as agreement_selectors
from agreements import services as agreement_services
from agreements.defaults import publish_default
from agreements.models import AgreementVersion
from billing import catalog
from billing.models import Product, Subscription
from billing.services import renewal_from
from relationships.models import PartnerRelationship
from tests.factories import TenantFactory, member


def relate(customer, partner, *codes) -> PartnerRelationship:
    """The relationship with codes in force (fixture data, written directly)."""
    relationship, _ = PartnerRelationship.objects.update_or_create(
        customer=customer, partner=partner, defaults={"types": list(codes)}
    )
    return relationship


def accept_agreement(tenant, user) -> None:
    version = agreement_selectors.current_version()
    agreement_services.record_acceptance(by=user, tenant=tenant, version=version)


def publish_new_version(version="2.0") -> AgreementVersion:
    return AgreementVersion.objects.create(
        kind=AgreementVersion.Kind.CUSTOMER_AGREEMENT,
        version=version,
        title="Liaison Customer Agreement",
        body="Version two.",
        published_at=timezone.now(),
    )


def subscription(tenant, *, sku="M365-BP-M", quantity=5, channel="direct", partner=None, **kw):
    """A subscription written directly (fixture data)."""
    product = Product.objects.get(sku=sku)
    return Subscription.objects.create(
        tenant=tenant,
        product=product,
        quantity=quantity,
        channel=channel,
        partner=partner,
        renewal_date=renewal_from(timezone.localdate(), product.term),
        **kw,
    )


@pytest.fixture(autouse=True)
def _catalog_and_agreement(request):
    """Transactional tests flush the data migrations' rows; put them back."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        catalog.load(Product)
        publish_default(AgreementVersion)


@pytest.fixture
def product(db):
    return Product.objects.get(sku="M365-BP-M")


@pytest.fixture
def reseller(customer, partner_tenant):
    """Contoso resells to Fabrikam (Fabrikam has not accepted the agreement yet)."""
    return relate(customer, partner_tenant, "reseller")


@pytest.fixture
def accepted(customer, customer_admin):
    accept_agreement(customer, customer_admin)


@pytest.fixture
def indirect_tenant(db):
    return TenantFactory(name="Litware", slug="litware")


@pytest.fixture
def indirect_admin(indirect_tenant):
    return member(indirect_tenant, "Global Administrator", email="lee@litware.example")


@pytest.fixture
def indirect(customer, indirect_tenant):
    return relate(customer, indirect_tenant, "indirect_reseller")


@pytest.fixture
def mpsa_a(customer):
    tenant = TenantFactory(name="Adatum", slug="adatum")
    relate(customer, tenant, "mpsa_partner")
    return tenant


@pytest.fixture
def mpsa_b(customer):
    tenant = TenantFactory(name="Tailspin", slug="tailspin")
    relate(customer, tenant, "mpsa_partner")
    return tenant


@pytest.fixture
def mpsa_a_admin(mpsa_a):
    return member(mpsa_a, "Billing Administrator", email="ada@adatum.example")


def url(tenant, sid=None) -> str:
    base = f"/api/v1/tenants/{tenant.pk}/subscriptions"
    return f"{base}/{sid}" if sid else base
