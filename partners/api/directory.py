"""REST endpoints of the public directory and "Contact me"."""

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from core.api import Pagination, api_schema, validated
from core.errors import NotFound
from core.permissions import TokenScopePermission
from core.serializers import ServiceCheckedCharField
from partners import directory_cache, selectors, services
from partners.models import Lead
from partners.search import DIMENSIONS, DirectoryQuery

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
    """A directory listing. The fields declare the shape (and the OpenAPI schema);
    to_representation builds it directly, as DRF's per-field machinery would, at a
    fraction of the cost (a page is 20 listings of 12 fields, several nested)."""

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

    def to_representation(self, listing) -> dict:
        names = self.__dict__.setdefault("_country_names", {})  # one lookup per country

        def country(c) -> dict:
            if c.code not in names:
                names[c.code] = str(c.name)
            return {"code": c.code, "name": names[c.code]}

        def items(choices) -> list[dict]:
            return [{"slug": c.value, "name": c.label} for c in choices]

        return {
            "partner_id": str(listing.partner_id),
            "name": listing.name,
            "summary": listing.summary,
            "website": listing.website,
            "headquarters_country": country(listing.headquarters_country),
            "countries": [country(c) for c in listing.countries],
            "industries": items(listing.industries),
            "products": items(listing.products),
            "services": items(listing.services),
            "org_sizes": items(listing.org_sizes),
            "relationship_types": self.get_relationship_types(listing),
            "is_certified": listing.is_certified,
        }


class FacetValueSerializer(serializers.Serializer):
    """A facet value and its count (built directly, like ListingSerializer)."""

    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()

    def to_representation(self, value) -> dict:
        return {
            "value": value.value,
            "label": str(value.label),
            "count": value.count,
            "selected": value.selected,
        }


class DirectoryPartnersView(APIView):
    """Public: listed partners matching the query."""

    permission_classes = [AllowAny]
    pagination_class = Pagination  # the same envelope, computed in body()

    def cache_prefetch(self, request) -> list[str]:
        return directory_cache.prefetch_keys(request, "partners")

    @api_schema(
        parameters=DIRECTORY_PARAMETERS,
        page_of=ListingSerializer,
        public=True,
        summary="Search the partner directory",
    )
    def get(self, request):
        # The query is parsed (a bad one refused) when the answer is computed: only a query
        # that parsed has a cached answer, so a cached one skips the parsing.
        return directory_cache.response(request, "partners", lambda: self.body(request))

    def body(self, request) -> dict:
        query = DirectoryQuery.from_params(request.query_params)
        size = Pagination().get_page_size(request)
        page = selectors.search_listings(query, number=query.page, size=size)
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
            "results": ListingSerializer(page.rows, many=True).data,
        }


class DirectoryPartnerView(APIView):
    """Public: one listed partner."""

    permission_classes = [AllowAny]

    @api_schema(
        responses=ListingSerializer, errors=(404,), public=True, summary="One directory listing"
    )
    def get(self, request, partner_id):
        return Response(ListingSerializer(selectors.get_listing_or_404(partner_id)).data)


class DirectoryFacetsView(APIView):
    """Public: for each filter, its values with the count of matching partners."""

    permission_classes = [AllowAny]

    def cache_prefetch(self, request) -> list[str]:
        return directory_cache.prefetch_keys(request, "facets")

    @api_schema(
        parameters=DIRECTORY_FILTERS,
        responses=inline_serializer(
            "DirectoryFacets",
            {dim: FacetValueSerializer(many=True) for dim in DIMENSIONS},
        ),
        public=True,
        summary="Facet counts under the current query",
    )
    def get(self, request):
        def compute():  # parsed only when computed, as the partners list is
            query = DirectoryQuery.from_params(request.query_params)
            facets = selectors.directory_facets(query)
            return {
                dim: FacetValueSerializer(values, many=True).data for dim, values in facets.items()
            }

        return directory_cache.response(request, "facets", compute)


class DirectoryContactView(APIView):
    """A signed-in member of a customer tenant asks a listed partner to get in touch."""

    permission_classes = [IsAuthenticated, TokenScopePermission]  # a read token cannot write

    class LeadCreateInputSerializer(serializers.Serializer):
        # services.submit_lead holds the rules and reports every bad field at once.
        tenant_id = ServiceCheckedCharField(
            help_text="Id of the customer tenant the caller is a member of"
        )
        country = ServiceCheckedCharField(help_text="ISO 3166 country code, such as DE")
        city = ServiceCheckedCharField()
        contact_name = ServiceCheckedCharField()
        email = ServiceCheckedCharField()
        phone = serializers.CharField(required=False, allow_blank=True)
        org_size = ServiceCheckedCharField(help_text="An organisation size slug (directory facets)")
        org_name = ServiceCheckedCharField()
        industry = ServiceCheckedCharField(help_text="An industry slug (directory facets)")
        business_needs = ServiceCheckedCharField()

    @api_schema(
        request=LeadCreateInputSerializer,
        responses={
            201: inline_serializer(
                "LeadCreated",
                {
                    "id": serializers.UUIDField(),
                    "status": serializers.ChoiceField(choices=Lead.Status.choices),
                },
            )
        },
        errors={
            404: "No such partner in the directory",
            409: "This tenant asked this partner in the last 24 hours (duplicate_lead)",
            429: "Too many contact requests in the last hour, or the throttles (rate_limited)",
        },
        summary='"Contact me": ask a partner to get in touch',
    )
    def post(self, request, partner_id):
        data = validated(self.LeadCreateInputSerializer, request)
        lead = services.submit_lead(by=request.user, partner_id=partner_id, data=data)
        return Response({"id": lead.pk, "status": lead.status}, status=status.HTTP_201_CREATED)
