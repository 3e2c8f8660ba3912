from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import serializers

from audit.describe import CSV_HEADER, csv_rows, describe
from audit.filters import AuditEventFilter
from audit.models import AuditEvent
from audit.permissions import AUDIT_READ
from audit.selectors import audit_events_for_tenant
from core.api import TenantAPIView, paginate, tenant_schema
from core.exports import CSVExportMixin, csv_response
from core.filters import filter_or_400

FILTER_PARAMETERS = [
    OpenApiParameter("action", str, description="Exact action, or a prefix ending in '.'"),
    OpenApiParameter(
        "period", str, enum=["1d", "7d", "30d", "90d", "365d"], description="The last …"
    ),
    OpenApiParameter(
        "since", str, description="ISO 8601 time, or a day (from its start), inclusive"
    ),
    OpenApiParameter("until", str, description="ISO 8601 time, exclusive, or a day (to its end)"),
    OpenApiParameter("actor", str, description="An email, or 'system' or 'staff'"),
    OpenApiParameter("object_type", str, description="The object's kind, 'app.model'"),
    OpenApiParameter("object", str, description="The object's id"),
    OpenApiParameter(
        "relationship", str, description="A partner or GDAP relationship id: its history"
    ),
]


class AuditActorSerializer(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True)
    email = serializers.CharField()
    kind = serializers.ChoiceField(choices=AuditEvent.ActorKind.choices)
    organisation = serializers.CharField(help_text="The partner a technician works for, …")
    is_partner_technician = serializers.BooleanField()


class AuditEventSerializer(serializers.Serializer):
    class AuditTenantSerializer(serializers.Serializer):
        id = serializers.UUIDField()
        name = serializers.CharField()

    id = serializers.UUIDField()
    occurred_at = serializers.DateTimeField()
    action = serializers.CharField()
    actor = serializers.SerializerMethodField()
    acting_tenant = AuditTenantSerializer(allow_null=True)
    target_tenant = AuditTenantSerializer(allow_null=True)
    relationship_id = serializers.UUIDField(allow_null=True)
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    object_repr = serializers.CharField()
    before = serializers.JSONField()
    after = serializers.JSONField()
    ip = serializers.IPAddressField(allow_null=True)
    description = serializers.SerializerMethodField()

    def _entry(self, event):
        cache = self.context.setdefault("entries", {})
        if event.pk not in cache:
            cache[event.pk] = describe(event)
        return cache[event.pk]

    @extend_schema_field(AuditActorSerializer)
    def get_actor(self, event) -> dict:
        entry = self._entry(event)
        return {
            "id": event.actor_id,
            "email": event.actor_email,
            "kind": event.actor_kind,
            "organisation": entry.organisation,
            "is_partner_technician": entry.is_technician,
        }

    def get_description(self, event) -> str:
        """What happened, as a sentence in the caller's language."""
        return self._entry(event).what


class AuditEventsView(TenantAPIView):
    required = {"GET": AUDIT_READ}

    @tenant_schema(
        parameters=FILTER_PARAMETERS,
        page_of=AuditEventSerializer,
        summary="The tenant's audit log, newest first",
    )
    def get(self, request, tid):
        events = filter_or_400(
            AuditEventFilter,
            request.query_params,
            audit_events_for_tenant(tenant=self.tenant),
            tenant=self.tenant,
        )
        return paginate(self, events, AuditEventSerializer)


class AuditEventsExportView(CSVExportMixin, TenantAPIView):
    required = {"GET": AUDIT_READ}

    @tenant_schema(
        parameters=FILTER_PARAMETERS,
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV")},
        summary="The audit log as CSV, with the list's filters",
    )
    def get(self, request, tid):
        events = filter_or_400(
            AuditEventFilter,
            request.query_params,
            audit_events_for_tenant(tenant=self.tenant),
            tenant=self.tenant,
        )
        name = f"audit-{self.tenant.slug or self.tenant.pk}.csv"
        return csv_response(name, CSV_HEADER, csv_rows(events.iterator(chunk_size=1000)))
