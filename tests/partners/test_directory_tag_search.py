"""Text search finds partners by their products, services and industries too, by the
names shown in either language (issue: `q=Intune` found 13 partners, the Intune filter 37).
The tags follow the listing through saves and curated renames and removals."""

import pytest

from partners.models import Industry
from partners.services import directory as listing_services

URL = "/api/v1/directory/partners"
FACETS = "/api/v1/directory/facets"

pytestmark = pytest.mark.django_db


def names(api, **params) -> set[str]:
    response = api.get(URL, params)
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


@pytest.fixture
def listings(listing):
    return {
        "intune": listing("Alpha", summary="Managed devices.", products=["intune"]),
        "health": listing("Bravo", summary="Clinics.", industries=["healthcare"]),
        "migration": listing("Charlie", summary="Moves.", services_=["migration"]),
        "plain": listing("Delta", summary="Everything else."),
    }


def test_a_product_name_finds_the_partners_that_offer_it(api, listings):
    assert names(api, q="Intune") == {"Alpha"}
    # The text and the filter agree: both find every partner with the product.
    assert names(api, q="Intune") == names(api, product="intune")


def test_industries_and_services_are_searched_too(api, listings):
    assert names(api, q="healthcare") == {"Bravo"}
    assert names(api, q="migration") == {"Charlie"}


def test_the_german_name_of_a_tag_finds_it(api, listings):
    # "Healthcare" reads "Gesundheitswesen" in German: a German speaker searches that.
    assert names(api, q="Gesundheitswesen") == {"Bravo"}


def test_the_facet_counts_follow_the_text(api, listings):
    facets = api.get(FACETS, {"q": "Intune"}).json()
    intune = next(v for v in facets["product"] if v["value"] == "intune")
    assert intune["count"] == 1


def test_a_renamed_tag_is_found_by_its_new_name(api, listings):
    industry = Industry.objects.get(slug="healthcare")
    industry.name = "Hospitals and clinics"
    industry.save()
    listing_services.curated_value_changed(dimension="industry", item=industry)

    assert names(api, q="Hospitals") == {"Bravo"}
    assert names(api, q="healthcare") == set()


def test_a_removed_tag_is_no_longer_found(api, listings):
    Industry.objects.filter(slug="healthcare").delete()
    listing_services.forget_curated_values(dimension="industry", slugs=["healthcare"])

    assert names(api, q="healthcare") == set()


def test_renaming_a_tag_in_the_support_console_reindexes_it(client_as, api, listings):
    from tests.factories import UserFactory

    root = UserFactory(email="root@support.example", is_staff=True, is_superuser=True)
    industry = Industry.objects.get(slug="healthcare")
    response = client_as(root).post(
        f"/admin/partners/industry/{industry.pk}/change/",
        {"name": "Hospitals and clinics", "position": industry.position},
    )
    assert response.status_code == 302, response.content[:2000]

    assert names(api, q="Hospitals") == {"Bravo"}
