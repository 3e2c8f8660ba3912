"""The directory: curated lists, partner profiles, their listing facets, and leads."""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
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
    """The directory listing of a partner tenant; its existence makes the tenant a partner."""

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
    # PostgreSQL full-text document (name weight A, summary weight B), written by the
    # service on every save; stays empty on SQLite, where search is a substring match.
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


class ListingFacet(models.Model):
    """One filterable value of a listed (certified) profile: the directory's own index.

    Rows exist only while the profile is listed; the services rebuild them on every save,
    certification and revocation. Filters and facet counts read this one table, the same
    way on PostgreSQL and SQLite. Values: ISO country codes, curated-list slugs and
    relationship type codes.
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
