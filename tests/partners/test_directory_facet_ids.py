"""Each listing's facet-value ids (`facet_ids`, PostgreSQL) follow its facet rows through
every change: profile saves, certification, revocation, curated values renamed or removed,
bulk fixtures. Filters follow too, on SQLite and PostgreSQL alike."""

import pytest
from django.db import connection

from partners import directory_cache, relationship_types, services
from partners.models import Industry, ListingFacet, PartnerProfile, Product
from partners.models.directory import FACET_ID_SPAN, FACET_TYPE_CODES, refresh_facet_ids
from partners.services import directory as listing_services

URL = "/api/v1/directory/partners"
FACETS = "/api/v1/directory/facets"
DIMENSIONS = ["country", "industry", "product", "service", "org_size", "relationship_type"]
CURATED_MODELS = {
    "industry": "partners_industry",
    "product": "partners_product",
    "service": "partners_service",
    "org_size": "partners_organizationsize",
}

PROFILE = {
    "name": "Fabrikam Services",
    "summary": "Intune and Defender rollouts.",
    "headquarters_country": "DE",
    "countries": ["DE", "AT"],
    "industries": ["healthcare"],
    "products": ["intune", "defender"],
    "services": ["deployment"],
    "org_sizes": ["51-250"],
    "relationship_types": ["gdap", "advisor"],
    "lead_email": "leads@fabrikam.example",
}


def expected_ids(profile) -> list[int]:
    """The ids of the profile's facet rows, worked out independently of the product."""
    ids = []
    for dim, value in ListingFacet.objects.filter(profile=profile).values_list(
        "dimension", "value"
    ):
        base = DIMENSIONS.index(dim) * FACET_ID_SPAN
        if dim == "country":
            ids.append(base + (ord(value[0]) - 65) * 26 + ord(value[1]) - 65)
        elif dim == "relationship_type":
            ids.append(base + FACET_TYPE_CODES.index(value) + 1)
        else:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT id FROM {CURATED_MODELS[dim]} WHERE slug = %s", [value])
                ids.append(base + cursor.fetchone()[0])
    return sorted(ids)


def stored_ids(profile) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT facet_ids FROM partners_partnerprofile WHERE tenant_id = %s", [profile.pk]
        )
        return list(cursor.fetchone()[0])


def names(api, **params) -> set[str]:
    return {row["name"] for row in api.get(URL, params).json()["results"]}


def test_every_relationship_type_has_a_facet_number():
    # A new type needs a number at the end of FACET_TYPE_CODES, or PostgreSQL cannot filter it.
    assert set(relationship_types.CODES) <= set(FACET_TYPE_CODES)
    assert len(set(FACET_TYPE_CODES)) == len(FACET_TYPE_CODES)


def test_saving_a_profile_rewrites_its_ids(postgres, api, customer_admin, customer, support_staff):
    profile, _created = services.save_partner_profile(
        by=customer_admin, tenant=customer, data=PROFILE
    )
    assert stored_ids(profile) == []  # not listed yet: no facet rows, no ids
    services.certify_partner(by=support_staff, tenant_id=customer.pk)
    assert len(stored_ids(profile)) == 9
    assert stored_ids(profile) == expected_ids(profile)

    changed = {**PROFILE, "countries": ["FR"], "products": ["teams"], "relationship_types": []}
    services.save_partner_profile(by=customer_admin, tenant=customer, data=changed)
    assert stored_ids(profile) == expected_ids(profile)
    assert len(stored_ids(profile)) == 5

    services.revoke_certification(by=support_staff, tenant_id=customer.pk)
    assert stored_ids(profile) == []


def test_filters_follow_a_profiles_lists(api, customer_admin, customer, support_staff):
    services.save_partner_profile(by=customer_admin, tenant=customer, data=PROFILE)
    services.certify_partner(by=support_staff, tenant_id=customer.pk)
    assert names(api, country="AT", product="intune") == {"Fabrikam Services"}
    changed = {**PROFILE, "countries": ["FR"], "products": ["teams"]}
    services.save_partner_profile(by=customer_admin, tenant=customer, data=changed)
    assert names(api, country="AT") == set()
    assert names(api, product="intune") == set()
    assert names(api, country="FR", product="teams") == {"Fabrikam Services"}
    facets = api.get(FACETS).json()
    assert {v["value"]: v["count"] for v in facets["country"]} == {"FR": 1}


def test_renaming_a_curated_value_keeps_ids_and_filters(api, listing, support_staff):
    profile = listing("Alpha", industries=["healthcare", "retail"])
    before = stored_ids(profile) if connection.vendor == "postgresql" else None
    # What the admin's save does: the name changes (the slug is fixed), the cache moves on.
    industry = Industry.objects.get(slug="healthcare")
    industry.name = "Health and care"
    industry.save()
    directory_cache.bump()
    if before is not None:
        assert stored_ids(profile) == before == expected_ids(profile)
    assert names(api, industry="healthcare") == {"Alpha"}
    facets = api.get(FACETS).json()
    healthcare = next(v for v in facets["industry"] if v["value"] == "healthcare")
    assert (healthcare["label"], healthcare["count"]) == ("Health and care", 1)
    body = api.get(URL).json()["results"][0]
    assert {"slug": "healthcare", "name": "Health and care"} in body["industries"]


def test_removing_a_curated_value_drops_it_everywhere(api, listing):
    alpha = listing("Alpha", industries=["healthcare", "retail"], products=["azure"])
    bravo = listing("Bravo", industries=["healthcare"])
    # What the admin's delete does: the item goes, then the directory forgets its value.
    Industry.objects.filter(slug="healthcare").delete()
    listing_services.forget_curated_values(dimension="industry", slugs=["healthcare"])
    if connection.vendor == "postgresql":
        for profile in (alpha, bravo):
            assert stored_ids(profile) == expected_ids(profile)
        assert len(stored_ids(alpha)) == 3  # DE, retail, azure
        assert len(stored_ids(bravo)) == 1  # DE
    assert names(api, industry="healthcare") == set()
    assert names(api, industry="retail") == {"Alpha"}
    facets = api.get(FACETS).json()
    assert "healthcare" not in {v["value"] for v in facets["industry"]}
    assert {v["value"]: v["count"] for v in facets["country"]} == {"DE": 2}
    assert api.get(URL).json()["results"][0]["industries"] == [
        {"slug": "retail", "name": "Retail and consumer goods"}
    ]


def test_bulk_written_facet_rows_fill_the_ids(postgres):
    """Fixtures that bulk-create facet rows (the demo seed) get their ids too."""
    from partners.search import facet_rows
    from tests.factories import TenantFactory

    profiles = [
        PartnerProfile.objects.create(
            tenant=TenantFactory(name=f"Bulk {i}"),
            name=f"Bulk {i}",
            headquarters_country="DE",
            countries=["DE", "CH"],
            relationship_types="isv",
            lead_email=f"bulk{i}@example.com",
            is_certified=True,
        )
        for i in range(3)
    ]
    azure = Product.objects.get(slug="azure")
    for profile in profiles:
        profile.products.add(azure)
    ListingFacet.objects.bulk_create(
        row
        for profile in profiles
        for row in facet_rows(
            profile.pk, countries=["DE", "CH"], products=["azure"], relationship_types=["isv"]
        )
    )
    for profile in profiles:
        assert stored_ids(profile) == expected_ids(profile)
        assert len(stored_ids(profile)) == 4


def test_refresh_rebuilds_every_profiles_ids(postgres, listing):
    profiles = [listing(f"P{i}", countries=["US"], industries=["retail"]) for i in range(3)]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE partners_partnerprofile SET facet_ids = '{}'")
    refresh_facet_ids()
    for profile in profiles:
        assert stored_ids(profile) == expected_ids(profile) != []


def test_a_model_save_never_touches_the_ids(postgres, listing):
    profile = listing("Alpha", countries=["DE"], industries=["retail"])
    stale = PartnerProfile.objects.get(pk=profile.pk)
    ids = stored_ids(profile)
    stale.summary = "Edited elsewhere."
    stale.save()
    assert stored_ids(profile) == ids


@pytest.mark.parametrize("code", ["DE", "ZZ", "AA"])
def test_country_ids_round_trip(postgres, listing, code):
    profile = listing("Alpha", countries=[code])
    assert stored_ids(profile) == expected_ids(profile)
