"""Reads of the directory: listed profiles (only certified ones), their filters and facet
counts, and a partner's own profile."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext
from django_countries import countries as country_registry
from django_countries.fields import Country

from core.errors import NotFound
from core.text import collation_key
from partners import relationship_types
from partners.models import (
    Industry,
    ListingFacet,
    OrganizationSize,
    PartnerProfile,
    Product,
    Service,
)
from partners.search import (
    DIMENSIONS,
    DirectoryQuery,
    FacetIds,
    ResultPage,
    facet_counts,
    find,
    is_postgres,
    listed,
)

Dim = ListingFacet.Dimension
CURATED = {
    Dim.INDUSTRY: Industry,
    Dim.PRODUCT: Product,
    Dim.SERVICE: Service,
    Dim.ORG_SIZE: OrganizationSize,
}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    pk: int | None = field(default=None, compare=False)  # curated values: the row's key


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Listing:
    """A profile as the directory shows it, with labels for every value."""

    profile: PartnerProfile
    industries: list[Choice] = field(default_factory=list)
    products: list[Choice] = field(default_factory=list)
    services: list[Choice] = field(default_factory=list)
    org_sizes: list[Choice] = field(default_factory=list)

    @property
    def partner_id(self):
        return self.profile.tenant_id

    @property
    def name(self):
        return self.profile.name

    @property
    def summary(self):
        return self.profile.summary

    @property
    def website(self):
        return self.profile.website

    @property
    def is_certified(self):
        return self.profile.is_certified

    @property
    def headquarters_country(self) -> Country:
        return self.profile.headquarters_country

    @property
    def countries(self) -> list[Country]:
        return list(self.profile.countries)

    @property
    def relationship_types(self) -> list[Choice]:
        return [Choice(code, label) for code, label in self.profile.relationship_type_labels()]


# The four curated lists in one statement. Every directory request reads them, and the
# ORM's four-way union costs ten times the query itself to build.
CURATED_SQL = " UNION ALL ".join(
    f"SELECT '{dim}', slug, name, position, id FROM {model._meta.db_table}"  # noqa: S608
    for dim, model in CURATED.items()
)


def curated_labels() -> dict[str, list[Choice]]:
    """Every curated list's values in admin order: one query for all four lists."""
    with connection.cursor() as cursor:
        cursor.execute(CURATED_SQL)
        rows = sorted(cursor.fetchall(), key=lambda r: (r[3], r[2]))
    result: dict[str, list[Choice]] = {dim: [] for dim in CURATED}
    for dim, slug, name, _position, pk in rows:
        result[dim].append(Choice(slug, _label(name), pk))
    return result


def facet_ids_for(labels: dict[str, list[Choice]]) -> FacetIds:
    """The facet-value ids of the curated values in labels (see partners.search.FacetIds)."""
    return FacetIds((dim, c.value, c.pk) for dim, choices in labels.items() for c in choices)


def _label(name: str) -> str:
    return gettext(name)


def _attach(profiles, values: dict, labels: dict[str, list[Choice]]) -> list[Listing]:
    listings = []
    for profile in profiles:
        mine = values.get(profile.pk, {})
        listing = Listing(profile)
        for dim, attr in (
            (Dim.INDUSTRY, "industries"),
            (Dim.PRODUCT, "products"),
            (Dim.SERVICE, "services"),
            (Dim.ORG_SIZE, "org_sizes"),
        ):
            chosen = mine.get(dim, set())
            setattr(listing, attr, [c for c in labels[dim] if c.value in chosen])
        listings.append(listing)
    return listings


def listings_for(profiles, labels: dict | None = None) -> list[Listing]:
    """Listings for listed profiles (a page). On PostgreSQL their values come from the
    profiles' `facet_ids` (read with them: no query); on SQLite one query reads them."""
    profiles = list(profiles)
    labels = labels if labels is not None else curated_labels()
    values: dict = {}
    if is_postgres():
        ids = facet_ids_for(labels)
        for profile in profiles:
            mine = values.setdefault(profile.pk, {})
            for fid in profile.facet_ids:
                dim_value = ids.value(fid)
                if dim_value is not None:
                    mine.setdefault(dim_value[0], set()).add(dim_value[1])
    elif profiles:
        rows = ListingFacet.objects.filter(
            profile_id__in=[p.pk for p in profiles], dimension__in=list(CURATED)
        ).values_list("profile_id", "dimension", "value")
        for profile_id, dim, value in rows:
            values.setdefault(profile_id, {}).setdefault(dim, set()).add(value)
    return _attach(profiles, values, labels)


def preview_listing(profile: PartnerProfile) -> Listing:
    """A listing from the profile itself (listed or not), for the partner's preview."""
    values = {
        profile.pk: {
            Dim.INDUSTRY: {i.slug for i in profile.industries.all()},
            Dim.PRODUCT: {i.slug for i in profile.products.all()},
            Dim.SERVICE: {i.slug for i in profile.services.all()},
            Dim.ORG_SIZE: {i.slug for i in profile.org_sizes.all()},
        }
    }
    return _attach([profile], values, curated_labels())[0]


def search_listings(
    query: DirectoryQuery, *, number: int, size: int, labels: dict | None = None
) -> ResultPage:
    """A page of the listed profiles matching query, as Listings, with the total (one
    statement, and one for the labels unless given; partners.search.find)."""
    labels = labels if labels is not None else curated_labels()
    page = find(query, number=number, size=size, facet_ids=facet_ids_for(labels))
    page.rows = listings_for(page.rows, labels)
    return page


def get_listing_or_404(partner_id) -> Listing:
    """One listed profile by its partner (tenant) id; unlisted ones are not found."""
    profiles = listed()
    if is_postgres():
        profiles = profiles.annotate(facet_ids=RawSQL("partners_partnerprofile.facet_ids", ()))
    try:
        profile = profiles.get(pk=partner_id)
    except (PartnerProfile.DoesNotExist, DjangoValidationError, ValueError, TypeError):
        raise NotFound() from None
    return listings_for([profile])[0]


def directory_facets(query: DirectoryQuery, labels: dict | None = None):
    """{dimension: [FacetValue]} under query (see partners.search.facet_counts)."""
    labels = labels if labels is not None else curated_labels()
    counts = facet_counts(query, facet_ids_for(labels))
    result: dict[str, list[FacetValue]] = {}
    for dim in DIMENSIONS:
        selected = set(query.selected(dim))
        if dim == Dim.COUNTRY:
            codes = set(counts[dim]) | selected
            choices = sorted(
                (Choice(code, country_registry.name(code) or code) for code in codes),
                key=lambda c: collation_key(c.label),  # Österreich among the O's
            )
        elif dim == Dim.RELATIONSHIP_TYPE:
            choices = [Choice(t.code, str(t.label)) for t in relationship_types.TYPES]
        else:
            choices = labels[dim]
        result[dim] = [
            FacetValue(c.value, c.label, counts[dim].get(c.value, 0), c.value in selected)
            for c in choices
        ]
    return result


# The partner's own profile -------------------------------------------------------------


def profile_of(tenant) -> PartnerProfile | None:
    """The tenant's own profile with its lists, or None before it became a partner."""
    return (
        PartnerProfile.objects.filter(tenant=tenant)
        .select_related("certified_by")
        .prefetch_related("industries", "products", "services", "org_sizes")
        .first()
    )


def get_profile_or_404(tenant) -> PartnerProfile:
    profile = profile_of(tenant)
    if profile is None:
        raise NotFound("This tenant has no partner profile yet.", code="not_found")
    return profile
