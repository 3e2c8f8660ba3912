"""REST endpoints: the public directory, "Contact me", and the partner's profile and leads."""

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from core.api import Pagination, TenantAPIView, paginate, tenant_schema, validated
from core.errors import NotFound, ValidationError
from partners import directory_cache, selectors, services
from partners.models import Lead
from partners.search import DIMENSIONS, DirectoryQuery, page_of
from roles.permissions import PARTNERS_MANAGE, PARTNERS_READ

DIRECTORY_FILTERS = [
    OpenApiParameter("q", str, description="Text over name and summary (at most 200 chars)"),
    *[
        OpenApiParameter(dim, str, many=True, description="Repeat for OR; filters AND together")
        for dim in DIMENSIONS
    ],
]
DIRECTORY_PARAMETERS = [
    *DIRECTORY_FILTERS,
    OpenApiParameter("sort", str, enum=["relevance", "name"]),
    OpenApiParameter("page", int),
    OpenApiParameter("page_size", int, description="At most 100"),
]


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SlugNameSerializer(serializers.Serializer):
    slug = serializers.CharField(source="value")
    name = serializers.CharField(source="label")


def _country(country) -> dict:
    return {"code": country.code, "name": str(country.name)}


class ListingSerializer(serializers.Serializer):
    partner_id = serializers.UUIDField()
    name = serializers.CharField()
    summary = serializers.CharField()
    website = serializers.CharField()
    headquarters_country = serializers.SerializerMethodField()
    countries = serializers.SerializerMethodField()
    industries = SlugNameSerializer(many=True)
    products = SlugNameSerializer(many=True)
    services = SlugNameSerializer(many=True)
    org_sizes = SlugNameSerializer(many=True)
    relationship_types = serializers.SerializerMethodField()
    is_certified = serializers.BooleanField()

    @extend_schema_field(CodeNameSerializer)
    def get_headquarters_country(self, listing) -> dict:
        return _country(listing.headquarters_country)

    @extend_schema_field(CodeNameSerializer(many=True))
    def get_countries(self, listing) -> list[dict]:
        return [_country(c) for c in listing.countries]

    @extend_schema_field(CodeNameSerializer(many=True))
    def get_relationship_types(self, listing) -> list[dict]:
        return [{"code": c.value, "name": c.label} for c in listing.relationship_types]


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class DirectoryPartnersView(APIView):
    """Public: listed partners matching the query."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=DIRECTORY_PARAMETERS,
        responses=ListingSerializer(many=True),
        summary="Search the partner directory",
        auth=[],
    )
    def get(self, request):
        query = DirectoryQuery.from_params(request.query_params)
        size = Pagination().get_page_size(request)
        return Response(
            directory_cache.cached(request, "partners", lambda: self.body(request, query, size))
        )

    def body(self, request, query, size) -> dict:
        page = page_of(selectors.search_listings(query), number=query.page, size=size)
        if not page.rows and query.page > 1:
            raise NotFound("Invalid page.")
        url = request.build_absolute_uri()
        previous = None
        if page.has_previous:
            previous = (
                replace_query_param(url, "page", page.number - 1)
                if page.number > 2
                else remove_query_param(url, "page")
            )
        return {
            "count": page.count,
            "next": replace_query_param(url, "page", page.number + 1) if page.has_next else None,
            "previous": previous,
            "results": ListingSerializer(selectors.listings_for(page.rows), many=True).data,
        }


class DirectoryPartnerView(APIView):
    """Public: one listed partner."""

    permission_classes = [AllowAny]

    @extend_schema(responses=ListingSerializer, summary="One directory listing", auth=[])
    def get(self, request, partner_id):
        return Response(ListingSerializer(selectors.get_listing_or_404(partner_id)).data)


class DirectoryFacetsView(APIView):
    """Public: for each filter, its values with the count of matching partners."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=DIRECTORY_FILTERS,
        responses=inline_serializer(
            "DirectoryFacets",
            {dim: FacetValueSerializer(many=True) for dim in DIMENSIONS},
        ),
        summary="Facet counts under the current query",
        auth=[],
    )
    def get(self, request):
        query = DirectoryQuery.from_params(request.query_params)

        def compute():
            facets = selectors.directory_facets(query)
            return {
                dim: FacetValueSerializer(values, many=True).data for dim, values in facets.items()
            }

        return Response(directory_cache.cached(request, "facets", compute))


class DirectoryContactView(APIView):
    """A signed-in member of a customer tenant asks a listed partner to get in touch."""

    permission_classes = [IsAuthenticated]

    class LeadCreateInputSerializer(serializers.Serializer):
        # Lenient on purpose: services.submit_lead holds the rules and reports every field.
        tenant_id = serializers.CharField(required=False, allow_blank=True)
        country = serializers.CharField(required=False, allow_blank=True)
        city = serializers.CharField(required=False, allow_blank=True)
        contact_name = serializers.CharField(required=False, allow_blank=True)
        email = serializers.CharField(required=False, allow_blank=True)
        phone = serializers.CharField(required=False, allow_blank=True)
        org_size = serializers.CharField(required=False, allow_blank=True)
        org_name = serializers.CharField(required=False, allow_blank=True)
        industry = serializers.CharField(required=False, allow_blank=True)
        business_needs = serializers.CharField(required=False, allow_blank=True)

    @extend_schema(
        request=LeadCreateInputSerializer,
        responses={
            201: inline_serializer(
                "LeadCreated", {"id": serializers.UUIDField(), "status": serializers.CharField()}
            )
        },
        summary='"Contact me": ask a partner to get in touch',
    )
    def post(self, request, partner_id):
        data = validated(self.LeadCreateInputSerializer, request)
        lead = services.submit_lead(by=request.user, partner_id=partner_id, data=data)
        return Response({"id": lead.pk, "status": lead.status}, status=status.HTTP_201_CREATED)


# Partner side ---------------------------------------------------------------------------


class PartnerProfileSerializer(serializers.Serializer):
    tenant_id = serializers.UUIDField()
    name = serializers.CharField()
    summary = serializers.CharField()
    website = serializers.CharField()
    headquarters_country = serializers.CharField()
    countries = serializers.SerializerMethodField()
    industries = serializers.SerializerMethodField()
    products = serializers.SerializerMethodField()
    services = serializers.SerializerMethodField()
    org_sizes = serializers.SerializerMethodField()
    relationship_types = serializers.ListField(
        child=serializers.CharField(), source="relationship_type_codes"
    )
    lead_email = serializers.EmailField()
    is_certified = serializers.BooleanField()
    certified_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_countries(self, profile) -> list[str]:
        return [c.code for c in profile.countries]

    def get_industries(self, profile) -> list[str]:
        return [i.slug for i in profile.industries.all()]

    def get_products(self, profile) -> list[str]:
        return [i.slug for i in profile.products.all()]

    def get_services(self, profile) -> list[str]:
        return [i.slug for i in profile.services.all()]

    def get_org_sizes(self, profile) -> list[str]:
        return [i.slug for i in profile.org_sizes.all()]


class PartnerProfileView(TenantAPIView):
    required = {"GET": PARTNERS_READ, "PUT": PARTNERS_MANAGE}

    class PartnerProfileInputSerializer(serializers.Serializer):
        name = serializers.CharField(required=False, allow_blank=True)
        summary = serializers.CharField(required=False, allow_blank=True)
        website = serializers.CharField(required=False, allow_blank=True)
        headquarters_country = serializers.CharField(required=False, allow_blank=True)
        countries = serializers.ListField(child=serializers.CharField(), required=False)
        industries = serializers.ListField(child=serializers.CharField(), required=False)
        products = serializers.ListField(child=serializers.CharField(), required=False)
        services = serializers.ListField(child=serializers.CharField(), required=False)
        org_sizes = serializers.ListField(child=serializers.CharField(), required=False)
        relationship_types = serializers.ListField(child=serializers.CharField(), required=False)
        lead_email = serializers.CharField(required=False, allow_blank=True)

    @tenant_schema(responses=PartnerProfileSerializer, summary="The tenant's directory listing")
    def get(self, request, tid):
        profile = selectors.get_profile_or_404(self.tenant)
        return Response(PartnerProfileSerializer(profile).data)

    @tenant_schema(
        request=PartnerProfileInputSerializer,
        responses={200: PartnerProfileSerializer, 201: PartnerProfileSerializer},
        summary="Create or replace the listing (the first save makes the tenant a partner)",
    )
    def put(self, request, tid):
        data = validated(self.PartnerProfileInputSerializer, request)
        profile, created = services.save_partner_profile(
            by=request.user, tenant=self.tenant, data=data
        )
        return Response(
            PartnerProfileSerializer(profile).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class LeadSerializer(serializers.Serializer):
    class LeadCustomerSerializer(serializers.Serializer):
        tenant_id = serializers.UUIDField(source="id")
        name = serializers.CharField()

    class LeadSubmitterSerializer(serializers.Serializer):
        id = serializers.UUIDField()
        email = serializers.EmailField()
        display_name = serializers.CharField()

    id = serializers.UUIDField()
    status = serializers.CharField()
    next_statuses = serializers.SerializerMethodField()
    customer = LeadCustomerSerializer()
    submitted_by = LeadSubmitterSerializer(allow_null=True)
    country = serializers.SerializerMethodField()
    city = serializers.CharField()
    contact_name = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()
    org_size = serializers.SerializerMethodField()
    org_name = serializers.CharField()
    industry = serializers.SerializerMethodField()
    business_needs = serializers.CharField()
    created_at = serializers.DateTimeField()
    status_changed_at = serializers.DateTimeField(allow_null=True)

    def get_next_statuses(self, lead) -> list[str]:
        return services.next_statuses(lead.status)

    @extend_schema_field(CodeNameSerializer)
    def get_country(self, lead) -> dict:
        return _country(lead.country)

    @extend_schema_field(SlugNameSerializer)
    def get_org_size(self, lead) -> dict:
        return {"slug": lead.org_size.slug, "name": lead.org_size.label}

    @extend_schema_field(SlugNameSerializer)
    def get_industry(self, lead) -> dict:
        return {"slug": lead.industry.slug, "name": lead.industry.label}


class LeadsView(TenantAPIView):
    required = {"GET": PARTNERS_READ}

    @tenant_schema(
        parameters=[
            OpenApiParameter("status", str, enum=list(Lead.Status.values)),
            OpenApiParameter("q", str, description="Text over organisation, contact and needs"),
        ],
        responses=LeadSerializer(many=True),
        summary="Leads sent to the partner",
    )
    def get(self, request, tid):
        status_filter = request.query_params.get("status", "")
        q = " ".join(request.query_params.get("q", "").split())
        errors = {}
        if status_filter and status_filter not in Lead.Status.values:
            errors["status"] = ["Choose one of: " + ", ".join(Lead.Status.values) + "."]
        if len(q) > 200:
            errors["q"] = ["At most 200 characters."]
        if errors:
            raise ValidationError("Check the filter parameters.", errors=errors)
        leads = selectors.leads_for(self.tenant, status=status_filter, q=q)
        return paginate(self, leads, LeadSerializer)


class LeadDetailView(TenantAPIView):
    required = {"GET": PARTNERS_READ, "PATCH": PARTNERS_MANAGE}

    class LeadStatusInputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=Lead.Status.choices)

    @tenant_schema(responses=LeadSerializer, summary="One lead")
    def get(self, request, tid, lead_id):
        return Response(LeadSerializer(selectors.get_lead_or_404(self.tenant, lead_id)).data)

    @tenant_schema(
        request=LeadStatusInputSerializer,
        responses=LeadSerializer,
        summary="Change a lead's status (new → contacted → converted | closed)",
    )
    def patch(self, request, tid, lead_id):
        data = validated(self.LeadStatusInputSerializer, request)
        services.change_lead_status(
            by=request.user, tenant=self.tenant, lead_id=lead_id, status=data["status"]
        )
        return Response(LeadSerializer(selectors.get_lead_or_404(self.tenant, lead_id)).data)
