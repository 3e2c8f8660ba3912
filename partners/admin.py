"""Django admin for support staff.

The directory: curated lists (add, order, delete values), partner profiles (certify or
revoke), leads (read only). Invitations, partner relationships and requests to end them:
support staff look everything up and act only through services (resend or cancel an
invitation, end relationship types on the customer's request, resolve a request to end),
each act audited as support staff by its service.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.admin import AuditedModelAdmin, confirmed
from core.errors import DomainError
from partners import directory_cache, services
from partners.models import (
    Industry,
    Lead,
    ListingFacet,
    OrganizationSize,
    PartnerProfile,
    Product,
    Service,
)
from partners.services import directory as listing

# The curated lists whose names text search reads (partners.services.directory).
SEARCHED_DIMENSIONS = (
    ListingFacet.Dimension.INDUSTRY,
    ListingFacet.Dimension.PRODUCT,
    ListingFacet.Dimension.SERVICE,
)


class CuratedItemAdmin(AuditedModelAdmin):
    """A curated list: support staff add values and order them; slugs are fixed once made."""

    dimension: str = ""
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    ordering = ["position", "name"]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ("name",)}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        directory_cache.bump()  # names and order show in the directory's filters
        if change and "name" in form.changed_data and self.dimension in SEARCHED_DIMENSIONS:
            listing.curated_value_changed(dimension=self.dimension, item=obj)

    def delete_model(self, request, obj):
        slug = obj.slug
        super().delete_model(request, obj)
        listing.forget_curated_values(dimension=self.dimension, slugs=[slug])

    def delete_queryset(self, request, queryset):
        slugs = list(queryset.values_list("slug", flat=True))
        super().delete_queryset(request, queryset)
        listing.forget_curated_values(dimension=self.dimension, slugs=slugs)


@admin.register(Industry)
class IndustryAdmin(CuratedItemAdmin):
    dimension = ListingFacet.Dimension.INDUSTRY


@admin.register(Product)
class ProductAdmin(CuratedItemAdmin):
    dimension = ListingFacet.Dimension.PRODUCT


@admin.register(Service)
class ServiceAdmin(CuratedItemAdmin):
    dimension = ListingFacet.Dimension.SERVICE


@admin.register(OrganizationSize)
class OrganizationSizeAdmin(CuratedItemAdmin):
    dimension = ListingFacet.Dimension.ORG_SIZE


@admin.register(PartnerProfile)
class PartnerProfileAdmin(AuditedModelAdmin):
    """Support staff review listings and certify them; the partner edits the content."""

    list_display = [
        "name",
        "tenant",
        "headquarters_country",
        "is_certified",
        "certified_at",
        "certified_by",
        "updated_at",
    ]
    list_filter = ["is_certified", "headquarters_country", "industries", "products"]
    search_fields = ["name", "tenant__name", "tenant__slug", "lead_email", "summary"]
    list_select_related = ["tenant", "certified_by"]
    actions = ["certify", "revoke_certification"]
    readonly_fields = [
        "tenant",
        "name",
        "summary",
        "website",
        "headquarters_country",
        "countries",
        "industries",
        "products",
        "services",
        "org_sizes",
        "relationship_types",
        "lead_email",
        "is_certified",
        "certified_at",
        "certified_by",
        "created_at",
        "updated_at",
    ]
    exclude = ["search_vector"]

    def has_add_permission(self, request):
        return False  # a tenant becomes a partner by saving its own profile

    @admin.action(
        description=_("Certify the selected partners (list them)"), permissions=["change"]
    )
    def certify(self, request, queryset):
        self._run(request, queryset, services.certify_partner, _("certified"))

    @admin.action(
        description=_("Revoke certification of the selected partners (unlist them)"),
        permissions=["change"],
    )
    @confirmed(
        title=_("Revoke the certification of these partners?"),
        body=_("They disappear from the partner directory at once; their relationships stay."),
        confirm_label=_("Yes, revoke"),
    )
    def revoke_certification(self, request, queryset):
        self._run(request, queryset, services.revoke_certification, _("unlisted"))

    def _run(self, request, queryset, service, verb):
        done = 0
        for tenant_id in queryset.values_list("pk", flat=True):
            try:
                service(by=request.user, tenant_id=tenant_id)
            except DomainError as exc:
                self.message_user(request, exc.detail, messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(n)d partner %(verb)s.", "%(n)d partners %(verb)s.", done)
            % {"n": done, "verb": verb},
            messages.SUCCESS,
        )


@admin.register(Lead)
class LeadAdmin(AuditedModelAdmin):
    """Leads are a customer's request to a partner: support staff look, the partner acts."""

    list_display = ["org_name", "partner", "customer", "contact_name", "status", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["org_name", "contact_name", "email", "partner__name", "customer__name"]
    list_select_related = ["partner", "customer"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
