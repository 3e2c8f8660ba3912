"""The directory: curated lists, partner profiles, their listing facets, and leads."""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from partners import relationship_types


class CuratedItem(models.Model):
    """A value of a curated list: support staff add and order them in Django admin.

    The slug is what URLs, filters and the API use; it is fixed once created (admin shows it
    read-only) so shared directory links keep working.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        # Seeded names carry translations (partners/curated.py); admin-added ones show as is.
        return gettext(self.name)


class Industry(CuratedItem):
    class Meta(CuratedItem.Meta):
        verbose_name = _("industry")
        verbose_name_plural = _("industries")


class Product(CuratedItem):
    class Meta(CuratedItem.Meta):
        verbose_name = _("product")
        verbose_name_plural = _("products")


class Service(CuratedItem):
    class Meta(CuratedItem.Meta):
        verbose_name = _("service")
        verbose_name_plural = _("services")


class OrganizationSize(CuratedItem):
    class Meta(CuratedItem.Meta):
        verbose_name = _("organisation size")
        verbose_name_plural = _("organisation sizes")


class PartnerProfile(models.Model):
    """The directory listing of a partner tenant; its existence makes the tenant a partner.

    On PostgreSQL the table has one more column that is not a model field, `facet_ids`
    (integer[], GIN indexed for listed profiles; migration 0005): the ids of the profile's
    ListingFacet rows (see FACET_ID_SPAN), kept in step by ListingFacet's queryset. Only
    partners.search reads it; no model save writes it, so a stale instance never
    overwrites it.
    """

    tenant = models.OneToOneField(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="partner_profile",
        verbose_name=_("tenant"),
    )
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    headquarters_country = CountryField(_("headquarters"))
    countries = CountryField(_("countries served"), multiple=True, blank=True)
    industries = models.ManyToManyField(
        Industry, blank=True, related_name="partners", verbose_name=_("industries")
    )
    products = models.ManyToManyField(
        Product, blank=True, related_name="partners", verbose_name=_("products")
    )
    services = models.ManyToManyField(
        Service, blank=True, related_name="partners", verbose_name=_("services")
    )
    org_sizes = models.ManyToManyField(
        OrganizationSize,
        blank=True,
        related_name="partners",
        verbose_name=_("organisation sizes served"),
    )
    # Codes of partners/relationship_types.py, comma separated (validated by the service).
    relationship_types = models.CharField(_("relationship types"), max_length=200, blank=True)
    lead_email = models.EmailField(_("lead email"))
    is_certified = models.BooleanField(_("certified"), default=False)
    certified_at = models.DateTimeField(_("certified at"), null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certified by"),
    )
    # The names of the listing's industries, products and services in every language of
    # the site, for text search (partners.services.directory.refresh_search_documents).
    search_tags = models.TextField(_("search tags"), blank=True, editable=False)
    # PostgreSQL full-text document (name weight A, summary weight B, tags weight C),
    # written by the service on every save; stays empty on SQLite, where search is a
    # substring match.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("partner profile")
        verbose_name_plural = _("partner profiles")
        ordering = ["name"]
        indexes = [
            models.Index(
                fields=["name", "tenant"],
                condition=models.Q(is_certified=True),
                name="partner_listed_name",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def partner_id(self):
        return self.tenant_id

    @property
    def relationship_type_codes(self) -> list[str]:
        return [c for c in self.relationship_types.split(",") if c]

    def relationship_type_labels(self) -> list[tuple[str, str]]:
        return [(c, relationship_types.label(c)) for c in self.relationship_type_codes]


# Facet-value ids ----------------------------------------------------------------------
# A facet value's id is its dimension's position (ListingFacet.Dimension order) times
# FACET_ID_SPAN plus its number within the dimension: a country's is (letter 1 - "A") * 26
# + (letter 2 - "A"); a curated value's is its row's primary key; a relationship type's is
# its position in FACET_TYPE_CODES. So id // FACET_ID_SPAN is the dimension, and a curated
# value keeps its id when renamed.
FACET_ID_SPAN = 100_000_000
# Numbers of the relationship types in facet ids (1-based): append new codes, never reorder.
FACET_TYPE_CODES: tuple[str, ...] = (
    "advisor",
    "isv",
    "indirect_reseller",
    "industry_partner",
    "mpsa_partner",
    "oem",
    "partner_user_account",
    "gdap",
    "reseller",
)


class ListingFacetQuerySet(models.QuerySet):
    """Every bulk_create and delete also rewrites the affected profiles' `facet_ids`
    (PostgreSQL), so the array always mirrors the rows, whoever writes them."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = super().bulk_create(objs, *args, **kwargs)
        self._refresh({obj.profile_id for obj in objs})
        return objs

    def delete(self):
        if connections[self.db].vendor != "postgresql":
            return super().delete()
        profile_ids = set(self.values_list("profile_id", flat=True).distinct())
        deleted = super().delete()
        self._refresh(profile_ids)
        return deleted

    def _refresh(self, profile_ids) -> None:
        if profile_ids:
            refresh_facet_ids(list(profile_ids), using=self.db)


# The ids of a profile's ListingFacet rows (curated slugs through their lists' tables; a
# value no list knows any more has no id), as one set-based UPDATE.
REFRESH_FACET_IDS_SQL = """
WITH known (dimension, value, id) AS (
    SELECT 'industry', slug, id + 1 * %(span)s FROM partners_industry
    UNION ALL SELECT 'product', slug, id + 2 * %(span)s FROM partners_product
    UNION ALL SELECT 'service', slug, id + 3 * %(span)s FROM partners_service
    UNION ALL SELECT 'org_size', slug, id + 4 * %(span)s FROM partners_organizationsize
    UNION ALL SELECT 'relationship_type', code, n + 5 * %(span)s
        FROM unnest(%(type_codes)s::text[]) WITH ORDINALITY AS t (code, n)
)
UPDATE partners_partnerprofile AS p
SET facet_ids = ARRAY(
    SELECT x.id::integer FROM (
        SELECT (ascii(f.value) - 65) * 26 + ascii(substr(f.value, 2)) - 65 AS id
        FROM partners_listingfacet AS f
        WHERE f.profile_id = p.tenant_id AND f.dimension = 'country'
            AND f.value ~ '^[A-Z]{2}$'
        UNION ALL
        SELECT k.id FROM partners_listingfacet AS f
        JOIN known AS k ON k.dimension = f.dimension AND k.value = f.value
        WHERE f.profile_id = p.tenant_id
    ) AS x
    ORDER BY 1
)
"""


def refresh_facet_ids(profile_ids=None, *, using: str = "default") -> None:
    """Rewrite `facet_ids` of these profiles (all when None) from their ListingFacet rows.

    PostgreSQL only (elsewhere the column does not exist); ListingFacet's queryset calls
    it, so services and bulk fixtures need not.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    params = {"span": FACET_ID_SPAN, "type_codes": list(FACET_TYPE_CODES)}
    sql = REFRESH_FACET_IDS_SQL
    if profile_ids is not None:
        sql += "WHERE p.tenant_id = ANY(%(ids)s::uuid[])"
        params["ids"] = [str(pk) for pk in profile_ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


class ListingFacet(models.Model):
    """One filterable value of a listed (certified) profile: the directory's own index.

    Rows exist only while the profile is listed; the services rebuild them on every save,
    certification and revocation. Values: ISO country codes, curated-list slugs and
    relationship type codes. On SQLite filters and facet counts read this table; on
    PostgreSQL they read the profile's `facet_ids`, which mirrors it (ListingFacetQuerySet).
    """

    class Dimension(models.TextChoices):
        COUNTRY = "country", _("Country")
        INDUSTRY = "industry", _("Industry")
        PRODUCT = "product", _("Product")
        SERVICE = "service", _("Service")
        ORG_SIZE = "org_size", _("Organisation size")
        RELATIONSHIP_TYPE = "relationship_type", _("Relationship type")

    profile = models.ForeignKey(PartnerProfile, on_delete=models.CASCADE, related_name="facets")
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    value = models.CharField(max_length=60)

    objects = ListingFacetQuerySet.as_manager()

    class Meta:
        verbose_name = _("listing facet")
        verbose_name_plural = _("listing facets")
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "value", "profile"], name="listing_facet_unique"
            )
        ]
        indexes = [models.Index(fields=["profile", "dimension"], name="listing_facet_profile")]

    def __str__(self):
        return f"{self.dimension}={self.value}"


class Lead(models.Model):
    """A "Contact me" request from a customer tenant to a partner."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        CONVERTED = "converted", _("Converted")
        CLOSED = "closed", _("Closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partner = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="leads_received",
        verbose_name=_("partner"),
    )
    customer = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="leads_sent",
        verbose_name=_("customer"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="leads",
        verbose_name=_("submitted by"),
    )
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100)
    contact_name = models.CharField(_("contact name"), max_length=150)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    org_size = models.ForeignKey(
        OrganizationSize,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation size"),
    )
    org_name = models.CharField(_("organisation name"), max_length=200)
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="+", verbose_name=_("industry")
    )
    business_needs = models.TextField(_("business needs"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["partner", "-created_at"], name="lead_partner_time"),
            models.Index(fields=["customer", "partner", "-created_at"], name="lead_pair_time"),
            models.Index(fields=["submitted_by", "-created_at"], name="lead_user_time"),
        ]

    def __str__(self):
        return f"{self.org_name} → {self.partner_id}"


# The lead state machine: (from, event) -> to. Anything else is InvalidState (409).
LEAD_TRANSITIONS = {
    (Lead.Status.NEW, "contact"): Lead.Status.CONTACTED,
    (Lead.Status.CONTACTED, "convert"): Lead.Status.CONVERTED,
    (Lead.Status.CONTACTED, "close"): Lead.Status.CLOSED,
}
