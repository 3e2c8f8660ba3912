"""REST endpoint of the partner's own directory listing."""

from rest_framework import serializers, status
from rest_framework.response import Response

from core.api import TenantAPIView, tenant_schema, validated
from core.serializers import ServiceCheckedCharField
from partners import selectors, services
from roles.permissions import PARTNERS_MANAGE, PARTNERS_READ


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
        # services.save_partner_profile holds the rules and reports every bad field at once;
        # a PUT replaces the listing, so a list left out becomes empty.
        name = ServiceCheckedCharField()
        summary = serializers.CharField(required=False, allow_blank=True)
        website = serializers.CharField(required=False, allow_blank=True)
        headquarters_country = ServiceCheckedCharField(help_text="ISO 3166 country code")
        countries = serializers.ListField(child=serializers.CharField(), required=False)
        industries = serializers.ListField(child=serializers.CharField(), required=False)
        products = serializers.ListField(child=serializers.CharField(), required=False)
        services = serializers.ListField(child=serializers.CharField(), required=False)
        org_sizes = serializers.ListField(child=serializers.CharField(), required=False)
        relationship_types = serializers.ListField(child=serializers.CharField(), required=False)
        lead_email = ServiceCheckedCharField(help_text="Where leads are mailed")

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
