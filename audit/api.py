from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers

from audit.filters import AuditEventFilter
from audit.models import AuditEvent
from audit.permissions import AUDIT_READ
from audit.selectors import audit_events_for_tenant
from core.api import TenantAPIView, paginate, tenant_schema
from core.filters import filter_or_400


class AuditActorSerializer(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True)
    email = serializers.CharField()
    kind = serializers.ChoiceField(choices=AuditEvent.ActorKind.choices)


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

    @extend_schema_field(AuditActorSerializer)
    def get_actor(self, event) -> dict:
        return {"id": event.actor_id, "email": event.actor_email, "kind": event.actor_kind}


class AuditEventsView(TenantAPIView):
    required = {"GET": AUDIT_READ}

    @tenant_schema(
        parameters=[
            OpenApiParameter("action", str, description="Exact action, or a prefix ending in '.'"),
            OpenApiParameter(
                "since", str, description="ISO 8601 time, or a day (from its start), inclusive"
            ),
            OpenApiParameter(
                "until", str, description="ISO 8601 time, exclusive, or a day (to its end)"
            ),
        ],
        page_of=AuditEventSerializer,
        summary="The tenant's audit log, newest first",
    )
    def get(self, request, tid):
        events = filter_or_400(
            AuditEventFilter, request.query_params, audit_events_for_tenant(tenant=self.tenant)
        )
        return paginate(self, events, AuditEventSerializer)
