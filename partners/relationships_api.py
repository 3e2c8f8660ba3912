"""REST endpoints: invitations (both sides), customers, partner relationships."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements import selectors as agreements
from core.api import TenantAPIView, paginate, tenant_schema, validated
from core.durations import parse_iso_duration
from core.errors import ValidationError
from partners import invitations, relationships
from partners import relationship_types as types
from roles.api import IsoDurationField, RelationshipSerializer
from roles.permissions import PARTNERS_MANAGE, PARTNERS_READ
from tenants.selectors import get_tenant


class TenantNameSerializer(serializers.Serializer):
    tenant_id = serializers.UUIDField(source="id")
    name = serializers.CharField()


class GdapRequestSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    display_name = serializers.CharField()
    status = serializers.SerializerMethodField()
    duration = IsoDurationField()
    auto_extend_duration = IsoDurationField()
    role_definition_ids = serializers.SerializerMethodField()

    def get_status(self, rel) -> str:
        return rel.status_at(timezone.now())

    def get_role_definition_ids(self, rel) -> list[str]:
        return [str(r.id) for r in rel.requested_roles.all()]


class InvitationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    partner = TenantNameSerializer()
    email = serializers.EmailField()
    customer_tenant_id = serializers.UUIDField(source="customer_id", allow_null=True)
    relationship_types = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField()
    lead_id = serializers.UUIDField(allow_null=True)
    gdap = GdapRequestSerializer(source="gdap_relationship", allow_null=True)
    status = serializers.SerializerMethodField()
    sent_at = serializers.DateTimeField()
    resent_count = serializers.IntegerField()
    last_sent_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)

    def get_status(self, invitation) -> str:
        return invitation.status_at(timezone.now())


class GdapInputSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=50)
    duration = IsoDurationField()
    role_definition_ids = serializers.ListField(child=serializers.UUIDField(), allow_empty=False)
    auto_extend_duration = IsoDurationField(required=False)

    def validate_auto_extend_duration(self, value):
        return value if value is not None else parse_iso_duration("PT0S")


class InvitationCreateInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    customer_tenant_id = serializers.UUIDField(required=False, allow_null=True)
    relationship_types = serializers.ListField(
        child=serializers.ChoiceField(choices=types.CODES), allow_empty=False
    )
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    lead_id = serializers.UUIDField(required=False, allow_null=True)
    gdap = GdapInputSerializer(required=False, allow_null=True)


class InvitationCreatedSerializer(InvitationSerializer):
    approval_url = serializers.URLField()


def _created_body(invitation, raw) -> dict:
    data = InvitationSerializer(invitation).data
    data["approval_url"] = invitations.approval_url(raw)
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
            OpenApiParameter("status", str, description="pending, accepted, declined, ..."),
        ],
        responses=InvitationSerializer(many=True),
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
        qs = (
            relationships.invitations_sent(self.tenant)
            if direction == "sent"
            else relationships.invitations_received(self.tenant)
        )
        wanted = request.query_params.get("status")
        if wanted:
            qs = relationships.with_status(qs, wanted)
        return paginate(self, qs, InvitationSerializer)

    @tenant_schema(
        request=InvitationCreateInputSerializer,
        responses={201: InvitationCreatedSerializer},
        summary="Invite a customer by email (optionally asking for GDAP roles)",
    )
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
        invitation, raw = invitations.send_invitation(
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
        summary="Resend with a new link (the old link stops working)",
    )
    def post(self, request, tid, iid):
        invitation, raw = invitations.resend_invitation(
            by=request.user, partner=self.tenant, invitation_id=iid
        )
        return Response(_created_body(invitation, raw))


class InvitationCancelView(TenantAPIView):
    required = {"POST": PARTNERS_MANAGE}

    @tenant_schema(request=None, responses=InvitationSerializer, summary="Cancel an invitation")
    def post(self, request, tid, iid):
        invitation = invitations.cancel_invitation(
            by=request.user, partner=self.tenant, invitation_id=iid
        )
        return Response(InvitationSerializer(invitation).data)


class GdapSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    display_name = serializers.CharField()
    status = serializers.SerializerMethodField()
    end_at = serializers.SerializerMethodField()

    def get_status(self, rel) -> str:
        return rel.status_at(timezone.now())

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_end_at(self, rel):
        end = rel.effective_end(timezone.now())
        return serializers.DateTimeField().to_representation(end) if end else None


class CustomerSerializer(serializers.Serializer):
    tenant_id = serializers.UUIDField(source="customer.id")
    name = serializers.CharField(source="customer.name")
    relationship_types = serializers.ListField(source="types", child=serializers.CharField())
    agreement_accepted = serializers.BooleanField()
    started_at = serializers.DateTimeField()
    gdap = GdapSummarySerializer(many=True, source="gdap_relationships")


class CustomersView(TenantAPIView):
    required = {"GET": PARTNERS_READ}

    @tenant_schema(responses=CustomerSerializer(many=True), summary="The partner's customers")
    def get(self, request, tid):
        rows = relationships.customers_of(self.tenant)
        return paginate(self, rows, CustomerSerializer)


class EndTypesView(TenantAPIView):
    required = {"POST": PARTNERS_MANAGE}

    class EndTypesInputSerializer(serializers.Serializer):
        relationship_types = serializers.ListField(
            child=serializers.ChoiceField(choices=types.CODES), allow_empty=False
        )

    @tenant_schema(
        request=EndTypesInputSerializer,
        responses=CustomerSerializer,
        summary="End some of the partner's relationship types with a customer",
    )
    def post(self, request, tid, customer_id):
        data = validated(self.EndTypesInputSerializer, request)
        relationships.end_relationship_types(
            by=request.user,
            partner=self.tenant,
            customer_id=customer_id,
            codes=data["relationship_types"],
        )
        row = next(
            (
                r
                for r in relationships.customers_of(self.tenant)
                if str(r.customer_id) == str(customer_id)
            ),
            None,
        )
        if row is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(CustomerSerializer(row).data)


# Customer side ---------------------------------------------------------------------------


class InvitationPreviewSerializer(serializers.Serializer):
    class AgreementRef(serializers.Serializer):
        version = serializers.CharField()
        title = serializers.CharField()
        url = serializers.CharField()

    partner = TenantNameSerializer()
    partner_summary = serializers.CharField()
    email = serializers.EmailField()
    customer_tenant_id = serializers.UUIDField(allow_null=True)
    relationship_types = serializers.ListField(child=serializers.DictField())
    requested_roles = serializers.ListField(child=serializers.DictField())
    duration = IsoDurationField(allow_null=True)
    auto_extend_duration = IsoDurationField(allow_null=True)
    message = serializers.CharField()
    agreement = AgreementRef(allow_null=True)
    expires_at = serializers.DateTimeField()
    status = serializers.CharField()


def preview(invitation) -> dict:
    from django.conf import settings
    from django.urls import reverse

    rel = invitation.gdap_relationship
    profile = getattr(invitation.partner, "partner_profile", None)
    version = agreements.current_version()
    return {
        "partner": invitation.partner,
        "partner_summary": profile.summary if profile else "",
        "email": invitation.email,
        "customer_tenant_id": invitation.customer_id,
        "relationship_types": [
            {"code": c, "name": str(types.label(c)), "description": str(types.get(c).unlocks)}
            for c in invitation.relationship_types
        ],
        "requested_roles": [
            {
                "role_definition_id": str(r.id),
                "name": r.name,
                "description": r.summary,
                "is_privileged": r.is_privileged,
            }
            for r in (rel.requested_roles.all() if rel else [])
        ],
        "duration": rel.duration if rel else None,
        "auto_extend_duration": rel.auto_extend_duration if rel else None,
        "message": invitation.message,
        "agreement": {
            "version": version.version,
            "title": version.title,
            "url": version.url
            or settings.SITE_URL + reverse("agreement_text", args=[version.version]),
        }
        if version
        else None,
        "expires_at": invitation.expires_at,
        "status": invitation.status_at(timezone.now()),
    }


class InvitationPreviewView(APIView):
    @extend_schema(responses=InvitationPreviewSerializer, summary="Preview an invitation")
    def get(self, request, token):
        invitation = invitations.get_by_token(token)
        return Response(InvitationPreviewSerializer(preview(invitation)).data)


class InvitationAcceptView(APIView):
    class InvitationAcceptInputSerializer(serializers.Serializer):
        tenant_id = serializers.UUIDField()
        accept_agreement = serializers.BooleanField(required=False, default=False)
        approved_role_definition_ids = serializers.ListField(
            child=serializers.UUIDField(), required=False, allow_empty=False
        )

    @extend_schema(
        request=InvitationAcceptInputSerializer,
        responses={200: None},
        summary="Accept & authorise the partner (partners.manage in tenant_id)",
    )
    def post(self, request, token):
        data = validated(self.InvitationAcceptInputSerializer, request)
        tenant = get_tenant(data["tenant_id"])
        relationship = invitations.accept_invitation(
            by=request.user,
            token=token,
            tenant=tenant,
            accept_agreement=data["accept_agreement"],
            approved_role_ids=data.get("approved_role_definition_ids"),
        )
        relationship = relationships.get_partner_relationship_or_404(
            tenant, relationship.partner_id
        )
        return Response(PartnerRelationshipSerializer(relationship).data)


class InvitationDeclineView(APIView):
    class InvitationDeclineInputSerializer(serializers.Serializer):
        tenant_id = serializers.UUIDField()

    @extend_schema(
        request=InvitationDeclineInputSerializer,
        responses=InvitationSerializer,
        summary="Decline an invitation",
    )
    def post(self, request, token):
        data = validated(self.InvitationDeclineInputSerializer, request)
        tenant = get_tenant(data["tenant_id"])
        invitation = invitations.decline_invitation(by=request.user, token=token, tenant=tenant)
        return Response(InvitationSerializer(invitation).data)


class AdminRoleSerializer(serializers.Serializer):
    role_definition_id = serializers.UUIDField(source="role.id")
    name = serializers.CharField(source="role.name")
    source = serializers.CharField()
    relationship_id = serializers.SerializerMethodField()
    end_at = serializers.DateTimeField(allow_null=True)

    def get_relationship_id(self, row) -> str | None:
        return str(row["relationship"].pk) if row.get("relationship") else None


class PartnerRelationshipSerializer(serializers.Serializer):
    partner = TenantNameSerializer()
    relationship_types = serializers.ListField(source="types", child=serializers.CharField())
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
        events = relationships.history(relationship)[:100]
        return self.HistorySerializer(events, many=True).data


class PartnerRelationshipsView(TenantAPIView):
    required = {"GET": PARTNERS_READ}

    @tenant_schema(
        responses=PartnerRelationshipSerializer(many=True),
        summary="The partners this tenant works with",
    )
    def get(self, request, tid):
        rows = relationships.partners_of(self.tenant)
        return paginate(self, rows, PartnerRelationshipSerializer)


class PartnerRelationshipDetailView(TenantAPIView):
    required = {"GET": PARTNERS_READ}

    @tenant_schema(
        responses=PartnerRelationshipDetailSerializer,
        summary="One partner relationship, with its GDAP relationships and history",
    )
    def get(self, request, tid, partner_id):
        relationship = relationships.get_partner_relationship_or_404(self.tenant, partner_id)
        return Response(PartnerRelationshipDetailSerializer(relationship).data)


class RemoveRolesView(TenantAPIView):
    required = {"POST": PARTNERS_MANAGE}

    @tenant_schema(
        request=None,
        responses=PartnerRelationshipSerializer,
        summary="Remove every admin role the partner holds here; the relationship stays",
    )
    def post(self, request, tid, partner_id):
        from roles import services as gdap

        relationships.get_partner_relationship_or_404(self.tenant, partner_id)
        gdap.remove_partner_roles(by=request.user, customer=self.tenant, partner_id=partner_id)
        relationship = relationships.get_partner_relationship_or_404(self.tenant, partner_id)
        return Response(PartnerRelationshipSerializer(relationship).data)


class RequestEndView(TenantAPIView):
    required = {"POST": PARTNERS_MANAGE}

    class RequestEndInputSerializer(serializers.Serializer):
        message = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    @tenant_schema(
        request=RequestEndInputSerializer,
        responses={201: None},
        summary="Ask the partner (and support) to end the relationship",
    )
    def post(self, request, tid, partner_id):
        data = validated(self.RequestEndInputSerializer, request)
        end_request = relationships.request_end(
            by=request.user,
            customer=self.tenant,
            partner_id=partner_id,
            message=data.get("message", ""),
        )
        return Response(
            {"id": str(end_request.pk), "status": end_request.status},
            status=status.HTTP_201_CREATED,
        )


def _tenant_or_400(tenant_id, field: str):
    from core.errors import NotFound

    try:
        return get_tenant(tenant_id)
    except NotFound:
        raise ValidationError("Unknown tenant.", errors={field: ["Unknown tenant id."]}) from None
