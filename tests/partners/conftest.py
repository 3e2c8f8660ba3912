"""Directory fixtures: listed partners with chosen values, support staff."""

import pytest

from partners.models import Industry, OrganizationSize, PartnerProfile, Product, Service
from partners.services import directory
from tests.factories import TenantFactory


def make_listing(
    name,
    *,
    tenant=None,
    summary="",
    hq="DE",
    countries=("DE",),
    industries=(),
    products=(),
    services_=(),
    org_sizes=(),
    relationship_types=(),
    certified=True,
    lead_email=None,
) -> PartnerProfile:
    """A partner tenant with a profile (fixture data: written directly, then indexed)."""
    tenant = tenant or TenantFactory(name=name)
    profile = PartnerProfile.objects.create(
        tenant=tenant,
        name=name,
        summary=summary,
        headquarters_country=hq,
        countries=list(countries),
        relationship_types=",".join(relationship_types),
        lead_email=lead_email or f"leads@{tenant.slug}.example",
        is_certified=certified,
    )
    profile.industries.set(Industry.objects.filter(slug__in=industries))
    profile.products.set(Product.objects.filter(slug__in=products))
    profile.services.set(Service.objects.filter(slug__in=services_))
    profile.org_sizes.set(OrganizationSize.objects.filter(slug__in=org_sizes))
    directory.sync_listing(profile)
    return profile


@pytest.fixture(autouse=True)
def curated_lists(request):
    """Transactional tests flush the data migration's curated lists; put them back."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        load_curated_lists()


def load_curated_lists() -> None:
    from partners import curated

    curated.load(
        {
            "industry": Industry,
            "product": Product,
            "service": Service,
            "org_size": OrganizationSize,
        }
    )


@pytest.fixture
def listing(db):
    return make_listing


@pytest.fixture
def listed_partner(partner_tenant):
    """Contoso, certified, with a lead mailbox."""
    return make_listing(
        "Contoso",
        tenant=partner_tenant,
        summary="Microsoft 365 migrations and managed security.",
        hq="US",
        countries=("US", "DE"),
        industries=("healthcare",),
        products=("microsoft-365",),
        services_=("migration",),
        org_sizes=("51-250",),
        relationship_types=("gdap", "reseller"),
        lead_email="leads@contoso.example",
    )


@pytest.fixture
def support_staff(db):
    from django.contrib.auth.models import Group

    from portal.support_agents import SUPPORT_AGENT_GROUP, sync_support_agent_group
    from tests.factories import UserFactory

    sync_support_agent_group()
    user = UserFactory(email="sam@support.example", is_staff=True)
    user.groups.add(Group.objects.get(name=SUPPORT_AGENT_GROUP))
    return user
