"""REST endpoints of the partner's invitations: list (sent or received), send, resend,
cancel."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from core.api import TenantAPIView, paginate, tenant_schema, validated
from core.durations import parse_iso_duration
from core.errors import NotFound, ValidationError
from core.filters import filter_or_400
from core.idempotency import idempotent
from core.paging import MergedKeys, rows_for
from core.scoping import get_in_tenant_or_404
from core.serializers import IsoDurationField, UserRefSerializer, ref
from relationships import selectors, services
from relationships.api.fields import (
    AssignableTypeField,
    relationship_status,
    relationship_type_list,
)
from relationships.api.partner_relationships import TenantNameSerializer
from relationships.filters import InvitationFilter
from relationships.models import REFERENCE_MAX, Invitation
from relationships.rules import DISPLAY_NAME_MAX
from relationships.tokens import approval_url
from roles.permissions import PARTNERS_MANAGE, PARTNERS_READ
from tenants.selectors import get_tenant


class GdapRequestSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    display_name = serializers.CharField()
    status = serializers.SerializerMethodField()
    duration = IsoDurationField()
    auto_extend_duration = IsoDurationField()
    role_definition_ids = serializers.SerializerMethodField()

    @extend_schema_field(relationship_status())
    def get_status(self, rel) -> str:
        return rel.status_at(timezone.now())

    def get_role_definition_ids(self, rel) -> list[str]:
        return [str(r.id) for r in rel.requested_roles.all()]


InvitationUserRefSerializer = ref(UserRefSerializer, "InvitationUserRef")
_DATETIME = serializers.DateTimeField()  # renders a moment a method field computes


class InvitationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    partner = TenantNameSerializer()
    email = serializers.EmailField()
    customer_tenant_id = serializers.UUIDField(source="customer_id", allow_null=True)
    relationship_types = relationship_type_list()
    message = serializers.CharField()
    lead_id = serializers.UUIDField(allow_null=True)
    gdap = GdapRequestSerializer(source="gdap_relationship", allow_null=True)
    status = serializers.SerializerMethodField()
    sent_at = serializers.DateTimeField()
    resent_count = serializers.IntegerField()
    last_sent_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)
    status_changed_at = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    # The partner's own business: null when the customer reads the invitation.
    created_by = serializers.SerializerMethodField()
    reference = serializers.SerializerMethodField()

    def _for_partner(self, invitation) -> bool:
        return str(invitation.partner_id) == str(self.context.get("tenant_id"))

    @extend_schema_field(InvitationUserRefSerializer(allow_null=True))
    def get_created_by(self, invitation):
        if not self._for_partner(invitation) or invitation.created_by is None:
            return None
        user = invitation.created_by
        return {"id": str(user.pk), "email": user.email}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reference(self, invitation):
        return invitation.reference if self._for_partner(invitation) else None

    @extend_schema_field(serializers.ChoiceField(choices=Invitation.Status.choices))
    def get_status(self, invitation) -> str:
        return invitation.status_at(timezone.now())

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_status_changed_at(self, invitation):
        """Sent (pending), answered, cancelled, or the moment it expired."""
        since = invitation.status_since(timezone.now())
        return _DATETIME.to_representation(since) if since else None


class GdapInputSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=DISPLAY_NAME_MAX)
    duration = IsoDurationField()
    role_definition_ids = serializers.ListField(child=serializers.UUIDField(), allow_empty=False)
    auto_extend_duration = IsoDurationField(required=False)

    def validate_auto_extend_duration(self, value):
        return value if value is not None else parse_iso_duration("PT0S")


class InvitationCreateInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    customer_tenant_id = serializers.UUIDField(required=False, allow_null=True)
    relationship_types = serializers.ListField(child=AssignableTypeField(), allow_empty=False)
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    lead_id = serializers.UUIDField(required=False, allow_null=True)
    gdap = GdapInputSerializer(required=False, allow_null=True)


class InvitationCreatedSerializer(InvitationSerializer):
    approval_url = serializers.URLField()


def _created_body(invitation, raw) -> dict:
    data = InvitationSerializer(invitation, context={"tenant_id": invitation.partner_id}).data
    data["approval_url"] = approval_url(raw)
    return data


class InvitationsView(TenantAPIView):
    required = {"GET": PARTNERS_READ, "POST": PARTNERS_MANAGE}

    @tenant_schema(
        parameters=[
            OpenApiParameter(
                "direction",
                str,
                enum=["sent", "received"],
                description="sent: by this partner; received: addressed to this tenant. "
                "Default: sent for a partner tenant, received otherwise.",
            ),
            OpenApiParameter("status", str, enum=list(Invitation.Status.values)),
            OpenApiParameter(
                "older_than", int, description="Last sent more than this many days ago"
            ),
        ],
        page_of=InvitationSerializer,
        summary="Invitations sent by this partner, or addressed to this tenant",
    )
    def get(self, request, tid):
        direction = request.query_params.get("direction") or (
            "sent" if self.tenant.is_partner else "received"
        )
        if direction not in ("sent", "received"):
            raise ValidationError(
                "direction is sent or received.", errors={"direction": ["Unknown value."]}
            )
        context = {"tenant_id": self.tenant.pk}
        if direction == "sent":
            qs = selectors.invitations_sent(self.tenant)
            rows = filter_or_400(InvitationFilter, request.query_params, qs)
            return paginate(self, rows, InvitationSerializer, context=context)
        # The inbox pages in SQL first: two index ranges merged, then the page's rows.
        parts = selectors.invitations_received_parts(self.tenant)
        keys = MergedKeys(
            *(filter_or_400(InvitationFilter, request.query_params, part) for part in parts),
            order=("-created_at",),
        )
        return paginate(
            self,
            keys,
            InvitationSerializer,
            context=context,
            load=rows_for(selectors.invitations_received(self.tenant, parts=parts)),
        )

    @tenant_schema(
        request=InvitationCreateInputSerializer,
        responses={201: InvitationCreatedSerializer},
        errors={409: "The tenant has no partner profile yet (invalid_state)"},
        summary="Invite a customer by email (optionally asking for GDAP roles)",
        idempotent=True,
    )
    @idempotent(secret_fields=("approval_url",))
    def post(self, request, tid):
        data = validated(InvitationCreateInputSerializer, request)
        customer = None
        if data.get("customer_tenant_id"):
            customer = _tenant_or_400(data["customer_tenant_id"], "customer_tenant_id")
        gdap = data.get("gdap")
        gdap_request = None
        if gdap:
            gdap_request = {
                "display_name": gdap["display_name"],
                "duration": gdap["duration"],
                "role_ids": gdap["role_definition_ids"],
                "auto_extend_duration": gdap.get("auto_extend_duration")
                or parse_iso_duration("PT0S"),
            }
        invitation, raw = services.send_invitation(
            by=request.user,
            partner=self.tenant,
            email=data["email"],
            relationship_types=data["relationship_types"],
            customer=customer,
            message=data.get("message", ""),
            lead_id=data.get("lead_id"),
            gdap_request=gdap_request,
        )
        return Response(_created_body(invitation, raw), status=status.HTTP_201_CREATED)


class InvitationResendView(TenantAPIView):
    required = {"POST": PARTNERS_MANAGE}

    @tenant_schema(
        request=None,
        responses=InvitationCreatedSerializer,
        errors={
            409: "The invitation is not pending (invalid_state)",
            429: "Sent less than 10 minutes ago, or the throttles (rate_limited)",
        },
        summary="Resend with a new link (the old link stops working)",
    )
    def post(self, request, tid, iid):
        invitation, raw = services.resend_invitation(
            by=request.user, partner=self.tenant, invitation_id=iid
        )
        return Response(_created_body(invitation, raw))


class InvitationCancelView(TenantAPIView):
    required = {"POST": PARTNERS_MANAGE}

    @tenant_schema(
        request=None,
        responses=InvitationSerializer,
        errors={409: "The invitation is not pending (invalid_state)"},
        summary="Cancel an invitation",
    )
    def post(self, request, tid, iid):
        invitation = services.cancel_invitation(
            by=request.user, partner=self.tenant, invitation_id=iid
        )
        return Response(InvitationSerializer(invitation, context={"tenant_id": tid}).data)


class InvitationDetailView(TenantAPIView):
    """One invitation the partner sent; PATCH its internal reference."""

    required = {"GET": PARTNERS_READ, "PATCH": PARTNERS_MANAGE}

    class InvitationPatchSerializer(serializers.Serializer):
        reference = serializers.CharField(
            max_length=REFERENCE_MAX, allow_blank=True, trim_whitespace=True
        )

    @tenant_schema(responses=InvitationSerializer, summary="One invitation this partner sent")
    def get(self, request, tid, iid):
        invitation = get_in_tenant_or_404(
            selectors.invitations_sent(self.tenant), self.tenant, tenant_field="partner", pk=iid
        )
        return Response(InvitationSerializer(invitation, context={"tenant_id": tid}).data)

    @tenant_schema(
        request=InvitationPatchSerializer,
        responses=InvitationSerializer,
        summary="Set the partner's internal reference (never shown to the customer)",
    )
    def patch(self, request, tid, iid):
        data = validated(self.InvitationPatchSerializer, request)
        services.set_invitation_reference(
            by=request.user, partner=self.tenant, invitation_id=iid, reference=data["reference"]
        )
        invitation = get_in_tenant_or_404(
            selectors.invitations_sent(self.tenant), self.tenant, tenant_field="partner", pk=iid
        )
        return Response(InvitationSerializer(invitation, context={"tenant_id": tid}).data)


class BulkResultSerializer(serializers.Serializer):
    class ItemSerializer(serializers.Serializer):
        id = serializers.CharField()
        status = serializers.CharField(help_text="done, or refused (see code and detail)")
        code = serializers.CharField(required=False)
        detail = serializers.CharField(required=False)

    results = ItemSerializer(many=True)


def bulk_body(outcomes, done: str) -> dict:
    """{done: n, refused: n, results: [{id, status, code?, detail?}]} of a bulk action."""
    results = [
        {"id": o.id, "status": done}
        if o.ok
        else {"id": o.id, "status": "refused", "code": o.code, "detail": o.detail}
        for o in outcomes
    ]
    ok = sum(1 for o in outcomes if o.ok)
    return {done: ok, "refused": len(outcomes) - ok, "results": results}


class InvitationBulkCancelView(TenantAPIView):
    """Cancel many pending invitations: each its own transaction and audit event."""

    required = {"POST": PARTNERS_MANAGE}

    class BulkCancelInputSerializer(serializers.Serializer):
        invitation_ids = serializers.ListField(
            child=serializers.CharField(max_length=64), allow_empty=False, max_length=1000
        )

    @tenant_schema(
        request=BulkCancelInputSerializer,
        responses=inline_serializer(
            "InvitationBulkCancelResult",
            {
                "cancelled": serializers.IntegerField(),
                "refused": serializers.IntegerField(),
                "results": BulkResultSerializer.ItemSerializer(many=True),
            },
        ),
        summary="Cancel many pending invitations (old ones, say); one result per id",
    )
    def post(self, request, tid):
        data = validated(self.BulkCancelInputSerializer, request)
        outcomes = services.cancel_invitations(
            by=request.user, partner=self.tenant, invitation_ids=data["invitation_ids"]
        )
        return Response(bulk_body(outcomes, "cancelled"))


def _tenant_or_400(tenant_id, field: str):
    try:
        return get_tenant(tenant_id)
    except NotFound:
        raise ValidationError("Unknown tenant.", errors={field: ["Unknown tenant id."]}) from None
