"""The API of GDAP relationships (/tenants/{tid}/delegated-admin-relationships): the list, one
relationship and its edits, and its requests (lockForApproval, terminate)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from core.api import TenantAPIView, paginate, tenant_schema, validated
from core.errors import NotFound, ValidationError
from core.filters import filter_or_400
from core.idempotency import idempotent
from core.paging import MergedKeys
from core.serializers import (
    IsoDurationField,
    TenantDisplayNameRefSerializer,
    UserRefSerializer,
    ref,
)
from relationships import selectors, services
from relationships.api.fields import (
    REQUEST_ACTION_CHOICES,
    REQUEST_STATUS_CHOICES,
    relationship_status,
)
from relationships.filters import RelationshipFilter
from relationships.models import REFERENCE_MAX, DelegatedAdminRelationship
from relationships.rules import AUTO_EXTEND_CHOICES, DISPLAY_NAME_MAX
from roles.permissions import PARTNERS_MANAGE, PARTNERS_READ
from tenants.selectors import get_tenant


class UnifiedRoleSerializer(serializers.Serializer):
    role_definition_id = serializers.UUIDField(source="id")


class AccessDetailsSerializer(serializers.Serializer):
    unified_roles = UnifiedRoleSerializer(many=True)


Status = DelegatedAdminRelationship.Status
TenantRefSerializer = ref(TenantDisplayNameRefSerializer, "TenantRef")
GdapUserRefSerializer = ref(UserRefSerializer, "GdapUserRef")


_DATETIME = serializers.DateTimeField()  # renders a moment a method field computes


class RelationshipSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    display_name = serializers.CharField()
    status = serializers.SerializerMethodField()
    is_expiring = serializers.SerializerMethodField()
    duration = IsoDurationField()
    auto_extend_duration = IsoDurationField()
    customer = TenantRefSerializer(allow_null=True)
    partner = TenantRefSerializer()
    access_details = serializers.SerializerMethodField()
    requested_access_details = serializers.SerializerMethodField()
    created_date_time = serializers.DateTimeField(source="created_at")
    activated_date_time = serializers.DateTimeField(source="activated_at", allow_null=True)
    end_date_time = serializers.SerializerMethodField()
    ended_date_time = serializers.DateTimeField(source="ended_at", allow_null=True)
    last_modified_date_time = serializers.DateTimeField(source="last_modified_at")
    # The partner's own business: null when the customer reads the relationship.
    created_by = serializers.SerializerMethodField()
    reference = serializers.SerializerMethodField()

    def _for_partner(self, rel) -> bool:
        return str(rel.partner_id) == str(self.context.get("tenant_id"))

    @extend_schema_field(GdapUserRefSerializer(allow_null=True))
    def get_created_by(self, rel):
        if not self._for_partner(rel) or rel.created_by is None:
            return None
        user = rel.created_by
        return {"id": str(user.pk), "email": user.email}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reference(self, rel):
        return rel.reference if self._for_partner(rel) else None

    def _now(self):
        if "now" not in self.context:
            self.context["now"] = timezone.now()
        return self.context["now"]

    @extend_schema_field(relationship_status())
    def get_status(self, rel) -> str:
        return rel.status_at(self._now())

    def get_is_expiring(self, rel) -> bool:
        return rel.is_expiring(self._now())

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_end_date_time(self, rel):
        end = rel.real_end(self._now())
        return _DATETIME.to_representation(end) if end else None

    @extend_schema_field(AccessDetailsSerializer)
    def get_access_details(self, rel):
        return {
            "unified_roles": [{"role_definition_id": str(r.id)} for r in rel.approved_role_list]
        }

    @extend_schema_field(AccessDetailsSerializer)
    def get_requested_access_details(self, rel):
        return {
            "unified_roles": [{"role_definition_id": str(r.id)} for r in rel.requested_role_list]
        }


class RelationshipCustomerInputSerializer(serializers.Serializer):
    tenant_id = serializers.UUIDField(help_text="The customer tenant's id (tenantId is read too)")

    def to_internal_value(self, data):
        # Graph's own spelling, as tooling written for Graph sends it.
        if isinstance(data, dict) and "tenant_id" not in data and "tenantId" in data:
            data = {**data, "tenant_id": data["tenantId"]}
        return super().to_internal_value(data)


class RelationshipInputSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=DISPLAY_NAME_MAX)
    duration = IsoDurationField()
    auto_extend_duration = IsoDurationField(required=False, default=timedelta(0))
    customer = RelationshipCustomerInputSerializer(
        required=False,
        allow_null=True,
        help_text="The customer tenant, when it is known at creation",
    )
    access_details = AccessDetailsSerializer()


class RelationshipPatchSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=DISPLAY_NAME_MAX, required=False)
    duration = IsoDurationField(required=False)
    auto_extend_duration = IsoDurationField(required=False)
    access_details = AccessDetailsSerializer(required=False)
    reference = serializers.CharField(
        max_length=REFERENCE_MAX,
        required=False,
        allow_blank=True,
        help_text="The partner's internal reference; may change in any status.",
    )


def role_ids_of(access_details) -> list:
    return [row["id"] for row in (access_details or {}).get("unified_roles", [])]


def _customer_from(data):
    tenant_id = (data.get("customer") or {}).get("tenant_id")
    if not tenant_id:
        return None
    try:
        return get_tenant(tenant_id)
    except NotFound:
        raise ValidationError(
            "Unknown customer tenant.", errors={"customer": ["Unknown tenant id."]}
        ) from None


class RelationshipsView(TenantAPIView):
    required = {"GET": PARTNERS_READ, "POST": PARTNERS_MANAGE}

    @tenant_schema(
        parameters=[
            OpenApiParameter(
                "side",
                str,
                enum=["partner", "customer"],
                description="Only as partner, or only as customer",
            ),
            OpenApiParameter(
                "status",
                str,
                enum=list(DelegatedAdminRelationship.Status.values),
                description="Filter by status (as read now)",
            ),
        ],
        page_of=RelationshipSerializer,
        summary="GDAP relationships of this tenant (as partner and as customer)",
    )
    def get(self, request, tid):
        side = request.query_params.get("side", "")
        if side not in ("", "partner", "customer"):
            raise ValidationError("side is partner or customer.", errors={"side": ["Unknown."]})
        # Pages in SQL first: either side's index range, merged; then the page's rows.
        parts = selectors.relationships_of_parts(self.tenant, side=side)
        keys = MergedKeys(
            *(filter_or_400(RelationshipFilter, request.query_params, part) for part in parts),
            order=("-created_at",),
        )
        return paginate(
            self,
            keys,
            RelationshipSerializer,
            context={"tenant_id": tid},
            load=selectors.page_loader(selectors.relationships_of(self.tenant, side=side)),
        )

    @tenant_schema(
        request=RelationshipInputSerializer,
        responses={201: RelationshipSerializer},
        errors={409: "The tenant has no partner profile: only partners ask (invalid_state)"},
        summary="Create a GDAP relationship (status created)",
        idempotent=True,
    )
    @idempotent()
    def post(self, request, tid):
        data = validated(RelationshipInputSerializer, request)
        rel = services.create_relationship(
            by=request.user,
            partner=self.tenant,
            display_name=data["display_name"],
            duration=data["duration"],
            auto_extend_duration=data["auto_extend_duration"],
            role_ids=role_ids_of(data["access_details"]),
            customer=_customer_from(data),
        )
        rel = selectors.get_relationship_or_404(self.tenant, rel.pk)
        return Response(
            RelationshipSerializer(rel, context={"tenant_id": tid}).data,
            status=status.HTTP_201_CREATED,
        )


class RelationshipDetailView(TenantAPIView):
    required = {"GET": PARTNERS_READ, "PATCH": PARTNERS_MANAGE, "DELETE": PARTNERS_MANAGE}

    @tenant_schema(responses=RelationshipSerializer, summary="One GDAP relationship")
    def get(self, request, tid, rid):
        rel = selectors.get_relationship_or_404(self.tenant, rid)
        return Response(RelationshipSerializer(rel, context={"tenant_id": tid}).data)

    @tenant_schema(
        request=RelationshipPatchSerializer,
        responses=RelationshipSerializer,
        errors={409: "The relationship's status does not allow this change (invalid_state)"},
        summary="Change a relationship: anything while created; while active, auto-extend "
        "(either side) and the removal of Global Administrator; the partner's reference",
    )
    def patch(self, request, tid, rid):
        # Not partial=True: that would also make the nested role_definition_id optional.
        serializer = RelationshipPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reference = data.pop("reference", None)
        rel = selectors.get_relationship_or_404(self.tenant, rid)
        auto_extend = None
        if rel.status != Status.CREATED and "auto_extend_duration" in data:
            # Once sent for approval only auto-extend (and the reference) may change.
            auto_extend = data.pop("auto_extend_duration")
            if auto_extend not in AUTO_EXTEND_CHOICES:
                message = _("Auto-extend is PT0S (off) or P180D.")
                raise ValidationError(message, errors={"auto_extend_duration": [message]})
        if "access_details" in data:
            data["role_ids"] = role_ids_of(data.pop("access_details"))
        with transaction.atomic():  # one answer, one outcome
            self._apply(request, rid, data, auto_extend, reference)
        rel = selectors.get_relationship_or_404(self.tenant, rid)
        return Response(RelationshipSerializer(rel, context={"tenant_id": tid}).data)

    def _apply(self, request, rid, data, auto_extend, reference):
        if data or (reference is None and auto_extend is None):
            services.update_relationship(
                by=request.user, partner=self.tenant, relationship_id=rid, **data
            )
        if auto_extend is not None:
            services.set_auto_extend(
                by=request.user, tenant=self.tenant, relationship_id=rid, enabled=bool(auto_extend)
            )
        if reference is not None:
            services.set_relationship_reference(
                by=request.user, partner=self.tenant, relationship_id=rid, reference=reference
            )

    @tenant_schema(responses={204: None}, summary="Delete a relationship while it is created")
    def delete(self, request, tid, rid):
        services.delete_relationship(by=request.user, partner=self.tenant, relationship_id=rid)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RelationshipRequestView(TenantAPIView):
    required = {"POST": PARTNERS_MANAGE}

    class RelationshipRequestInputSerializer(serializers.Serializer):
        action = serializers.ChoiceField(choices=REQUEST_ACTION_CHOICES)

    @tenant_schema(
        request=RelationshipRequestInputSerializer,
        responses={
            201: inline_serializer(
                "RelationshipRequestResult",
                {
                    "id": serializers.UUIDField(),
                    "action": serializers.ChoiceField(choices=REQUEST_ACTION_CHOICES),
                    "status": serializers.ChoiceField(choices=REQUEST_STATUS_CHOICES),
                    "relationship_status": relationship_status(),
                    "approval_url": serializers.URLField(
                        required=False, help_text="lockForApproval: the customer's link"
                    ),
                    "invitation_id": serializers.UUIDField(
                        required=False, help_text="lockForApproval: the invitation it sent"
                    ),
                },
            )
        },
        errors={
            409: "lockForApproval of a relationship not in status created, or terminate of "
            "one that is not active (invalid_state)"
        },
        summary="lockForApproval (send for approval) or terminate",
        idempotent=True,
    )
    @idempotent(secret_fields=("approval_url",))
    def post(self, request, tid, rid):
        data = validated(self.RelationshipRequestInputSerializer, request)
        action = {"lockForApproval": "lock_for_approval", "terminate": "terminate"}
        result = services.submit_request(
            by=request.user,
            tenant=self.tenant,
            relationship_id=rid,
            action=action[data["action"]],
        )
        body = {
            "id": str(result.request.pk),
            "action": data["action"],
            "status": result.request.status,
            "relationship_status": result.relationship.status,
        }
        if result.invitation is not None:
            body.update(approval_url=result.approval_url, invitation_id=str(result.invitation.pk))
        return Response(body, status=status.HTTP_201_CREATED)
