"""REST endpoints of the partner's leads inbox."""

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.response import Response

from core.api import TenantAPIView, paginate, tenant_schema, validated
from core.filters import filter_or_400
from partners import selectors, services
from partners.api.directory import CodeNameSerializer, SlugNameSerializer, _country
from partners.filters import LeadFilter
from partners.models import Lead
from roles.permissions import PARTNERS_MANAGE, PARTNERS_READ


class LeadSerializer(serializers.Serializer):
    class LeadCustomerSerializer(serializers.Serializer):
        tenant_id = serializers.UUIDField(source="id")
        name = serializers.CharField()

    class LeadSubmitterSerializer(serializers.Serializer):
        id = serializers.UUIDField()
        email = serializers.EmailField()
        display_name = serializers.CharField()

    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=Lead.Status.choices)
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

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=Lead.Status.choices))
    )
    def get_next_statuses(self, lead) -> list[str]:
        return selectors.next_statuses(lead.status)

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
        page_of=LeadSerializer,
        summary="Leads sent to the partner",
    )
    def get(self, request, tid):
        leads = filter_or_400(LeadFilter, request.query_params, selectors.leads_for(self.tenant))
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
        errors={409: "The lead cannot move to that status from its own (invalid_state)"},
        summary="Change a lead's status (new → contacted → converted | closed)",
    )
    def patch(self, request, tid, lead_id):
        data = validated(self.LeadStatusInputSerializer, request)
        services.change_lead_status(
            by=request.user, tenant=self.tenant, lead_id=lead_id, status=data["status"]
        )
        return Response(LeadSerializer(selectors.get_lead_or_404(self.tenant, lead_id)).data)
