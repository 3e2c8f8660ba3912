"""REST endpoints of the expiring relationships view: the list with its filters, the tile
counts, the CSV export, and switching auto-extend on many relationships."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from core.api import TenantAPIView, paginate, tenant_schema, validated
from core.errors import ValidationError
from core.exports import CSVExportMixin, csv_response
from core.filters import filter_or_400
from core.paging import page_keys
from core.serializers import IsoDurationField
from relationships import expiring, selectors, services
from relationships.api.gdap import RelationshipSerializer
from relationships.api.invitations import BulkResultSerializer, bulk_body
from relationships.filters import ExpiringFilter
from relationships.rules import AUTO_EXTEND_CHOICES, auto_extend_refusal
from roles.permissions import PARTNERS_MANAGE, PARTNERS_READ

FILTER_PARAMETERS = [
    OpenApiParameter(
        "window",
        str,
        enum=["1d", "7d", "30d", "later", "expired"],
        description="Ending within 1, 7 or 30 days; after 30 days; expired in the last year",
    ),
    OpenApiParameter(
        "q", str, description="Text in the relationship's, customer's or partner's name"
    ),
    OpenApiParameter("auto_extend", str, enum=["on", "off"]),
]


class ExpiringRelationshipSerializer(RelationshipSerializer):
    auto_extend_available = serializers.SerializerMethodField()
    auto_extend_unavailable_reason = serializers.SerializerMethodField()

    def get_auto_extend_available(self, rel) -> bool:
        return auto_extend_refusal(rel.approved_role_list) is None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_auto_extend_unavailable_reason(self, rel):
        return auto_extend_refusal(rel.approved_role_list)


class ExpiringView(TenantAPIView):
    required = {"GET": PARTNERS_READ}

    @tenant_schema(
        parameters=FILTER_PARAMETERS,
        responses=ExpiringRelationshipSerializer(many=True),
        summary="Relationships running now or expired in the last year, soonest end first",
    )
    def get(self, request, tid):
        rows = filter_or_400(
            ExpiringFilter, request.query_params, selectors.expiring_of(self.tenant)
        )
        return paginate(
            self,
            page_keys(rows),
            ExpiringRelationshipSerializer,
            context={"tenant_id": tid},
            load=selectors.page_loader(rows),
        )


class ExpiringSummaryView(TenantAPIView):
    required = {"GET": PARTNERS_READ}

    class ExpiringSummarySerializer(serializers.Serializer):
        within_1_day = serializers.IntegerField()
        within_7_days = serializers.IntegerField()
        within_30_days = serializers.IntegerField()
        after_30_days = serializers.IntegerField()
        expired_last_year = serializers.IntegerField()

    @tenant_schema(
        responses=ExpiringSummarySerializer,
        summary="The tiles: how many relationships end within 1, 7, 30 days, later, or expired",
    )
    def get(self, request, tid):
        return Response(selectors.expiring_summary(self.tenant))


class ExpiringExportView(CSVExportMixin, TenantAPIView):
    """The same rows as CSV (the page's download link gives the same file)."""

    required = {"GET": PARTNERS_READ}

    @tenant_schema(
        parameters=FILTER_PARAMETERS,
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV")},
        summary="Expiring relationships as CSV, with the list's filters",
    )
    def get(self, request, tid):
        now = timezone.now()
        rows = filter_or_400(
            ExpiringFilter, request.query_params, selectors.expiring_of(self.tenant)
        )
        return csv_response(
            expiring.filename(self.tenant, now),
            expiring.CSV_HEADER,
            expiring.csv_rows(rows, self.tenant, now),
        )


class AutoExtendBulkView(TenantAPIView):
    """Switch auto-extend on many relationships: one service call and audit event each."""

    required = {"POST": PARTNERS_MANAGE}

    class AutoExtendBulkInputSerializer(serializers.Serializer):
        relationship_ids = serializers.ListField(
            child=serializers.CharField(max_length=64), allow_empty=False, max_length=1000
        )
        auto_extend_duration = IsoDurationField()

    class AutoExtendBulkResultSerializer(serializers.Serializer):
        changed = serializers.IntegerField()
        refused = serializers.IntegerField()
        results = BulkResultSerializer.ItemSerializer(many=True)

    @tenant_schema(
        request=AutoExtendBulkInputSerializer,
        responses=AutoExtendBulkResultSerializer,
        summary="Switch auto-extend (P180D or PT0S) on many active relationships",
    )
    def post(self, request, tid):
        data = validated(self.AutoExtendBulkInputSerializer, request)
        if data["auto_extend_duration"] not in AUTO_EXTEND_CHOICES:
            raise ValidationError(
                "Auto-extend is PT0S (off) or P180D.",
                errors={"auto_extend_duration": ["PT0S or P180D."]},
            )
        outcomes = services.set_auto_extend_many(
            by=request.user,
            tenant=self.tenant,
            relationship_ids=data["relationship_ids"],
            enabled=bool(data["auto_extend_duration"]),
        )
        return Response(bulk_body(outcomes, "changed"))
