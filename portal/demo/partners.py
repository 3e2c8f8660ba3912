"""Demo data for partners (the seed_demo step `partners.demo`), in two parts.

The directory: Contoso certified with a full profile, plus about 200 certified listings
with realistic variety. Writes directly: this is fixture data, not a user's action.
Deterministic (fixed seed) and idempotent (only missing rows are created).
`generate()` and `bulk_create_listings()` are shared with tests/bench/bench_directory.py.

Then invitations and relationships, through the services, as the partner's and the
customer's admins would, so the demo tenants' audit logs tell the story: Contoso invited
Fabrikam, Fabrikam accepted the agreement and approved Helpdesk Administrator for 45 days,
Contoso gave it to its "Helpdesk agents" group. A second, pending invitation waits in
Fabrikam's mailbox; its link is printed (tokens are stored only as hashes, so a re-run
issues a fresh link).
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from partners import curated, search
from partners import relationship_types as rt
from partners.models import (
    Industry,
    ListingFacet,
    OrganizationSize,
    PartnerProfile,
    Product,
    Service,
)
from partners.services import directory
from relationships import services as relationship_services
from relationships import tokens
from relationships.models import Invitation, PartnerRelationship
from roles.permissions import HELPDESK_ADMIN, role_id
from tenants.models import SecurityGroup, Tenant, User

DEMO_COUNT = 200
DEMO_SLUG_PREFIX = "demo-partner-"
SEED = 20260101

FIRST = [
    "Alpine", "Aurora", "Beacon", "Birch", "Blue Harbor", "Bright", "Cedar", "Cobalt",
    "Copper", "Crescent", "Delta", "Evergreen", "Falcon", "Fjord", "Granite", "Harbor",
    "Helix", "Horizon", "Ironwood", "Juniper", "Keystone", "Lakeside", "Lumen", "Maple",
    "Meridian", "Nimbus", "Northwind", "Oakridge", "Orbit", "Pioneer", "Polaris", "Quantum",
    "Redwood", "Riverbend", "Sapphire", "Silverline", "Skyline", "Summit", "Tidewater",
    "Vertex", "Willow", "Zenith",
]  # fmt: skip
SECOND = [
    "Cloud", "IT", "Systems", "Digital", "Networks", "Consulting", "Solutions", "Data",
    "Technologies", "Secure", "Workplace", "Logic", "Services", "Partners", "Labs",
]  # fmt: skip
SUFFIX = {
    "DE": "GmbH", "AT": "GmbH", "CH": "AG", "US": "Inc.", "GB": "Ltd", "IE": "Ltd",
    "FR": "SAS", "NL": "B.V.", "BE": "BV", "ES": "S.L.", "IT": "S.r.l.", "SE": "AB",
    "NO": "AS", "DK": "ApS", "FI": "Oy", "PL": "sp. z o.o.", "CA": "Inc.", "AU": "Pty Ltd",
    "IN": "Pvt Ltd", "JP": "K.K.", "BR": "Ltda.", "MX": "S.A. de C.V.", "SG": "Pte Ltd",
    "ZA": "(Pty) Ltd", "NZ": "Ltd",
}  # fmt: skip
# Headquarters weights: more partners in the larger markets.
COUNTRY_WEIGHTS = {
    "US": 14, "DE": 12, "GB": 9, "FR": 6, "NL": 5, "CA": 4, "AU": 4, "IN": 5, "CH": 3,
    "AT": 3, "SE": 3, "ES": 3, "IT": 3, "BE": 2, "DK": 2, "NO": 2, "FI": 2, "PL": 3,
    "IE": 2, "JP": 3, "BR": 3, "MX": 2, "SG": 2, "ZA": 2, "NZ": 1,
}  # fmt: skip
REGIONS = [
    {"DE", "AT", "CH", "NL", "BE", "FR", "PL", "DK", "IT", "ES", "SE", "NO", "FI", "IE", "GB"},
    {"US", "CA", "MX", "BR"},
    {"AU", "NZ", "SG", "JP", "IN"},
    {"ZA", "GB", "NL"},
]
FOCUS = [
    "helps {size} organisations in {industry} move to {product}",
    "runs {product} for {industry} customers as a managed service",
    "secures {product} tenants with assessments, hardening and 24/7 monitoring",
    "plans and delivers {product} migrations with zero downtime",
    "builds custom apps on {product} for {industry}",
    "trains staff and drives adoption of {product}",
    "licenses and manages {product} subscriptions for {size} organisations",
    "provisions and registers devices with {product} for {industry}",
]
CLOSING = [
    "Certified engineers in {country}, support in English and German.",
    "Fixed-price packages and a named contact for every customer.",
    "Over {years} years of experience and {count} customers served.",
    "We answer within one business day.",
    "Specialists in compliance, identity and zero-trust security.",
    "From first workshop to run: assessment, rollout and support.",
]
TYPE_WEIGHTS = {
    rt.RESELLER: 8, rt.GDAP: 9, rt.ADVISOR: 5, rt.INDIRECT_RESELLER: 4, rt.ISV: 3,
    rt.PARTNER_USER_ACCOUNT: 2, rt.MPSA_PARTNER: 1, rt.OEM: 1, rt.INDUSTRY_PARTNER: 1,
}  # fmt: skip

CONTOSO_PROFILE = {
    "name": "Contoso Ltd.",
    "summary": (
        "Contoso is a Microsoft 365 and Azure partner for mid-sized organisations. We plan "
        "and run migrations to Exchange Online and Teams, secure tenants with Intune, "
        "Entra ID and Defender, and take over day-to-day administration through granular "
        "delegated admin (GDAP) with least-privilege roles."
    ),
    "website": "https://contoso.example",
    "headquarters_country": "US",
    "countries": ["US", "CA", "GB", "DE", "AT", "CH"],
    "industries": ["financial-services", "healthcare", "manufacturing", "professional-services"],
    "products": ["microsoft-365", "exchange-online", "teams", "intune", "entra-id", "azure"],
    "services": ["migration", "managed-services", "security-assessment", "support"],
    "org_sizes": ["51-250", "251-1000", "1001-10000"],
    "relationship_types": [rt.ADVISOR, rt.GDAP, rt.RESELLER],
    "lead_email": "leads@contoso.example",
}


def _some(rng, values, low, high, weights=None):
    k = min(len(values), rng.randint(low, high))
    if weights is None:
        return rng.sample(values, k)
    chosen: list = []
    pool, w = list(values), list(weights)
    while len(chosen) < k:
        pick = rng.choices(range(len(pool)), weights=w)[0]
        chosen.append(pool.pop(pick))
        w.pop(pick)
    return chosen


def generate(count: int, *, seed: int = SEED, start: int = 0):
    """Yield `count` listing rows (dicts) deterministically from seed."""
    rng = random.Random(seed)
    codes, weights = list(COUNTRY_WEIGHTS), list(COUNTRY_WEIGHTS.values())
    industries = [slug for slug, _name in curated.INDUSTRIES]
    products = [slug for slug, _name in curated.PRODUCTS]
    services = [slug for slug, _name in curated.SERVICES]
    sizes = [slug for slug, _name in curated.ORGANIZATION_SIZES]
    type_codes, type_weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    for n in range(start, start + count):
        hq = rng.choices(codes, weights=weights)[0]
        region = sorted(next((r for r in REGIONS if hq in r), {hq}) - {hq})
        served = [hq, *_some(rng, region, 0, 5)]
        name = f"{rng.choice(FIRST)} {rng.choice(SECOND)} {SUFFIX.get(hq, 'Ltd')}"
        chosen_industries = _some(rng, industries, 1, 3)
        chosen_products = _some(rng, products, 1, 4)
        low = rng.randrange(len(sizes))
        chosen_sizes = sizes[low : low + rng.randint(1, 3)]
        fill = {
            "size": curated.ORGANIZATION_SIZES[low][1].lower(),
            "industry": dict(curated.INDUSTRIES)[chosen_industries[0]].lower(),
            "product": dict(curated.PRODUCTS)[chosen_products[0]],
            "country": hq,
            "years": rng.randint(3, 30),
            "count": rng.randint(20, 900),
        }
        summary = (
            f"{name.split(' ')[0]} {rng.choice(FOCUS).format(**fill)}. "
            f"{rng.choice(CLOSING).format(**fill)}"
        )
        yield {
            "slug": f"{DEMO_SLUG_PREFIX}{n:06d}",
            "name": name,
            "summary": summary,
            "website": f"https://{DEMO_SLUG_PREFIX}{n:06d}.example",
            "headquarters_country": hq,
            "countries": served,
            "industries": chosen_industries,
            "products": chosen_products,
            "services": _some(rng, services, 1, 4),
            "org_sizes": chosen_sizes,
            "relationship_types": sorted(
                _some(rng, type_codes, 1, 3, type_weights), key=rt.CODES.index
            ),
            "lead_email": f"leads@{DEMO_SLUG_PREFIX}{n:06d}.example",
        }


def bulk_create_listings(rows, *, batch_size: int = 2000) -> int:
    """Create tenants with certified profiles for rows (from generate()); returns the count.

    Bulk inserts: tenants, profiles, their curated-list links and directory values, then
    the search documents with one UPDATE (PostgreSQL).
    """
    rows = list(rows)
    if not rows:
        return 0
    now = timezone.now()
    ids = {
        model: dict(model.objects.values_list("slug", "pk"))
        for model in (Industry, Product, Service, OrganizationSize)
    }
    tenants = Tenant.objects.bulk_create(
        [
            Tenant(
                name=r["name"],
                slug=r["slug"],
                country=r["headquarters_country"],
                primary_domain=f"{r['slug']}.example",
            )
            for r in rows
        ],
        batch_size=batch_size,
    )
    PartnerProfile.objects.bulk_create(
        [
            PartnerProfile(
                tenant=t,
                name=r["name"],
                summary=r["summary"],
                website=r["website"],
                headquarters_country=r["headquarters_country"],
                countries=r["countries"],
                relationship_types=",".join(r["relationship_types"]),
                lead_email=r["lead_email"],
                is_certified=True,
                certified_at=now,
            )
            for t, r in zip(tenants, rows, strict=True)
        ],
        batch_size=batch_size,
    )
    links = (
        ("industries", Industry, "industry_id"),
        ("products", Product, "product_id"),
        ("services", Service, "service_id"),
        ("org_sizes", OrganizationSize, "organizationsize_id"),
    )
    for field, model, column in links:
        through = getattr(PartnerProfile, field).through
        through.objects.bulk_create(
            [
                through(partnerprofile_id=t.pk, **{column: ids[model][slug]})
                for t, r in zip(tenants, rows, strict=True)
                for slug in r[field]
            ],
            batch_size=batch_size * 4,
        )
    ListingFacet.objects.bulk_create(
        [
            facet
            for t, r in zip(tenants, rows, strict=True)
            for facet in search.facet_rows(
                t.pk,
                countries=r["countries"],
                industries=r["industries"],
                products=r["products"],
                services=r["services"],
                org_sizes=r["org_sizes"],
                relationship_types=r["relationship_types"],
            )
        ],
        batch_size=batch_size * 4,
    )
    directory.refresh_search_documents([t.pk for t in tenants])
    return len(tenants)


def _contoso() -> None:
    tenant = Tenant.objects.filter(slug="contoso").first()
    if tenant is None:
        return
    data = CONTOSO_PROFILE
    profile, _created = PartnerProfile.objects.update_or_create(
        tenant=tenant,
        defaults={
            **{k: data[k] for k in ("name", "summary", "website", "lead_email")},
            "headquarters_country": data["headquarters_country"],
            "countries": data["countries"],
            "relationship_types": ",".join(data["relationship_types"]),
            "is_certified": True,
        },
    )
    if profile.certified_at is None:
        profile.certified_at = timezone.now()
        profile.save(update_fields=["certified_at"])
    for field, model in (
        ("industries", Industry),
        ("products", Product),
        ("services", Service),
        ("org_sizes", OrganizationSize),
    ):
        getattr(profile, field).set(model.objects.filter(slug__in=data[field]))
    directory.sync_listing(profile)


@transaction.atomic
def _seed_directory(command) -> None:
    _contoso()
    existing = set(
        Tenant.objects.filter(slug__startswith=DEMO_SLUG_PREFIX).values_list("slug", flat=True)
    )
    missing = [row for row in generate(DEMO_COUNT) if row["slug"] not in existing]
    created = bulk_create_listings(missing)
    listed = PartnerProfile.objects.filter(is_certified=True).count()
    command.stdout.write(
        f"  partners: Contoso certified; {created} demo listings added, {listed} listed in all"
    )


# Invitations and relationships -----------------------------------------------------------


def _seed_relationships(command) -> None:
    customer = Tenant.objects.filter(slug="fabrikam").first()
    partner = Tenant.objects.filter(slug="contoso").first()
    if customer is None or partner is None:
        return
    partner_admin = User.objects.get(email="admin@contoso.example")
    customer_admin = User.objects.get(email="admin@fabrikam.example")
    if not PartnerRelationship.objects.filter(customer=customer, partner=partner).exists():
        _accepted_relationship(customer, partner, customer_admin, partner_admin)
    link = _pending_invitation(customer)
    command.stdout.write("  relationships: Contoso works for Fabrikam (GDAP Helpdesk, reseller)")
    if link:
        command.stdout.write(f"  pending invitation for Fabrikam: {link}")


def _accepted_relationship(customer, partner, customer_admin, partner_admin) -> None:
    invitation, token = relationship_services.send_invitation(
        by=partner_admin,
        partner=partner,
        email=customer_admin.email,
        relationship_types=["gdap", "reseller"],
        customer=customer,
        message="As discussed: helpdesk support for your team, and your Microsoft 365 licences.",
        gdap_request={
            "display_name": "Fabrikam helpdesk",
            "duration": timedelta(days=45),  # inside the 60-day "ending soon" panel
            "role_ids": [role_id(HELPDESK_ADMIN)],
            "auto_extend_duration": timedelta(0),
        },
    )
    relationship_services.accept_invitation(
        by=customer_admin, token=token, tenant=customer, accept_agreement=True
    )
    group = SecurityGroup.objects.filter(tenant=partner, name="Helpdesk agents").first()
    if group is not None:
        relationship_services.create_access_assignment(
            by=partner_admin,
            partner=partner,
            relationship_id=invitation.gdap_relationship_id,
            security_group_id=group.pk,
            role_ids=[role_id(HELPDESK_ADMIN)],
        )


def _pending_invitation(customer) -> str:
    """A second partner's invitation, pending; returns its approval link."""
    profile = (
        PartnerProfile.objects.filter(is_certified=True, tenant__slug__startswith="demo-partner-")
        .select_related("tenant")
        .order_by("tenant__slug")
        .first()
    )
    if profile is None:
        return ""
    pending = Invitation.objects.filter(
        partner=profile.tenant, customer=customer, status=Invitation.Status.PENDING
    ).first()
    raw, token_hash = tokens.new_token()
    if pending is not None:
        # Fixture data: replace the token so the printed link works after a re-run.
        pending.token_hash = token_hash
        pending.save(update_fields=["token_hash"])
    else:
        types = [c for c in profile.relationship_type_codes if c in ("reseller", "isv", "oem")]
        Invitation.objects.create(
            partner=profile.tenant,
            email="admin@fabrikam.example",
            customer=customer,
            relationship_types=types or ["isv"],
            message="We would like to work with Fabrikam.",
            token_hash=token_hash,
            expires_at=tokens.default_expiry(),
        )
    return tokens.approval_url(raw)


def seed(command) -> None:
    """The seed_demo step: the directory, then invitations and relationships."""
    _seed_directory(command)
    _seed_relationships(command)
