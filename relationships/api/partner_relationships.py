"""REST endpoints of partner relationships: the partner's customers (ending types), the
customer's partners (removing their roles, asking to end)."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from core.api import TenantAPIView, paginate, tenant_schema, validated
from core.serializers import TenantRefSerializer, ref
from relationships import selectors, services
from relationships.api.fields import (
    ADMIN_ROLE_SOURCE_CHOICES,
    relationship_status,
    relationship_type_list,
)
from relationships.api.gdap import RelationshipSerializer
from relationships.models import EndRequest
from roles.permissions import PARTNERS_MANAGE, PARTNERS_READ

TenantNameSerializer = ref(TenantRefSerializer, "TenantName")


# Partner side ---------------------------------------------------------------------------


class GdapSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    display_name = serializers.CharField()
    status = serializers.SerializerMethodField()
    end_at = serializers.SerializerMethodField()

    @extend_schema_field(relationship_status())
    def get_status(self, rel) -> str:
        return rel.status_at(timezone.now())

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_end_at(self, rel):
        end = rel.real_end(timezone.now())
        return serializers.DateTimeField().to_representation(end) if end else None

    def to_representation(self, rel):
        """The fields above, read once per grant (a list shows hundreds)."""
        now = timezone.now()
        end = rel.real_end(now)
        return {
            "id": str(rel.id),
            "display_name": rel.display_name,
            "status": rel.status_at(now),
            "end_at": _DATETIME.to_representation(end) if end else None,
        }


_DATETIME = serializers.DateTimeField()


class CustomerSerializer(serializers.Serializer):
    tenant_id = serializers.UUIDField(source="customer_id")
    name = serializers.CharField(source="customer_name")  # the customer's, kept on rename
    relationship_types = relationship_type_list(source="types")
    agreement_accepted = serializers.BooleanField()
    started_at = serializers.DateTimeField()
    gdap = GdapSummarySerializer(many=True, source="gdap_relationships")


class CustomersView(TenantAPIView):
    required = {"GET": PARTNERS_READ}

    @tenant_schema(page_of=CustomerSerializer, summary="The partner's customers")
    def get(self, request, tid):
        rows = selectors.customer_rows(self.tenant)
        return paginate(self, rows, CustomerSerializer, load=selectors.with_customer_details)


class EndTypesView(TenantAPIView):
    required = {"POST": PARTNERS_MANAGE}

    class EndTypesInputSerializer(serializers.Serializer):
        relationship_types = relationship_type_list(allow_empty=False)

    @tenant_schema(
        request=EndTypesInputSerializer,
        responses={
            200: CustomerSerializer,
            204: OpenApiResponse(description="No relationship type is left in force"),
        },
        summary="End some of the partner's relationship types with a customer",
    )
    def post(self, request, tid, customer_id):
        data = validated(self.EndTypesInputSerializer, request)
        services.end_relationship_types(
            by=request.user,
            partner=self.tenant,
            customer_id=customer_id,
            codes=data["relationship_types"],
        )
        row = selectors.customer_of(self.tenant, customer_id)
        if row is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(CustomerSerializer(row).data)


# Customer side ---------------------------------------------------------------------------


class AdminRoleSerializer(serializers.Serializer):
    role_definition_id = serializers.UUIDField(source="role.id")
    name = serializers.CharField(source="role.name")
    source = serializers.ChoiceField(choices=ADMIN_ROLE_SOURCE_CHOICES)
    relationship_id = serializers.SerializerMethodField()
    end_at = serializers.DateTimeField(allow_null=True)

    def get_relationship_id(self, row) -> str | None:
        return str(row["relationship"].pk) if row.get("relationship") else None


class PartnerRelationshipSerializer(serializers.Serializer):
    partner = TenantNameSerializer()
    relationship_types = relationship_type_list(source="types")
    admin_roles = AdminRoleSerializer(many=True)
    agreement_accepted = serializers.BooleanField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)


class PartnerRelationshipDetailSerializer(PartnerRelationshipSerializer):
    class HistorySerializer(serializers.Serializer):
        occurred_at = serializers.DateTimeField()
        action = serializers.CharField()
        actor_email = serializers.CharField()
        after = serializers.JSONField()

    gdap_relationships = RelationshipSerializer(many=True)
    history = serializers.SerializerMethodField()

    @extend_schema_field(HistorySerializer(many=True))
    def get_history(self, relationship):
        events = selectors.history(relationship)[:100]
        return self.HistorySerializer(events, many=True).data


class PartnerRelationshipsView(TenantAPIView):
    required = {"GET": PARTNERS_READ}

    @tenant_schema(
        page_of=PartnerRelationshipSerializer,
        summary="The partners this tenant works with",
    )
    def get(self, request, tid):
        rows = selectors.partner_rows(self.tenant)
        return paginate(
            self,
            rows,
            PartnerRelationshipSerializer,
            load=lambda page: selectors.with_partner_details(page, self.tenant),
        )


class PartnerRelationshipDetailView(TenantAPIView):
    required = {"GET": PARTNERS_READ}

    @tenant_schema(
        responses=PartnerRelationshipDetailSerializer,
        summary="One partner relationship, with its GDAP relationships and history",
    )
    def get(self, request, tid, partner_id):
        relationship = selectors.get_partner_relationship_or_404(self.tenant, partner_id)
        return Response(PartnerRelationshipDetailSerializer(relationship).data)


class RemoveRolesView(TenantAPIView):
    required = {"POST": PARTNERS_MANAGE}

    @tenant_schema(
        request=None,
        responses=PartnerRelationshipSerializer,
        errors={409: "The partner holds no admin roles here (invalid_state)"},
        summary="Remove every admin role the partner holds here; the relationship stays",
    )
    def post(self, request, tid, partner_id):
        selectors.get_partner_relationship_or_404(self.tenant, partner_id)
        services.remove_partner_roles(by=request.user, customer=self.tenant, partner_id=partner_id)
        relationship = selectors.get_partner_relationship_or_404(self.tenant, partner_id)
        return Response(PartnerRelationshipSerializer(relationship).data)


class RequestEndView(TenantAPIView):
    required = {"POST": PARTNERS_MANAGE}

    class RequestEndInputSerializer(serializers.Serializer):
        message = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    @tenant_schema(
        request=RequestEndInputSerializer,
        responses={
            201: inline_serializer(
                "EndRequestCreated",
                {
                    "id": serializers.UUIDField(),
                    "status": serializers.ChoiceField(choices=EndRequest.Status.choices),
                },
            )
        },
        errors={409: "The relationship has ended, or a request to end it is open (invalid_state)"},
        summary="Ask the partner (and support) to end the relationship",
    )
    def post(self, request, tid, partner_id):
        data = validated(self.RequestEndInputSerializer, request)
        end_request = services.request_end(
            by=request.user,
            customer=self.tenant,
            partner_id=partner_id,
            message=data.get("message", ""),
        )
        return Response(
            {"id": str(end_request.pk), "status": end_request.status},
            status=status.HTTP_201_CREATED,
        )
