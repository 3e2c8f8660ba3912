"""REST endpoints of the invitation link: preview, accept & authorise, decline."""

from django.utils import timezone
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements import selectors as agreements
from core.api import api_schema, validated
from core.idempotency import idempotent
from core.serializers import IsoDurationField
from partners import relationship_types as types
from relationships import selectors, services
from relationships.api.invitations import InvitationSerializer
from relationships.api.partner_relationships import (
    PartnerRelationshipSerializer,
    TenantNameSerializer,
)
from relationships.models import Invitation
from tenants.selectors import get_tenant


class InvitationPreviewSerializer(serializers.Serializer):
    class AgreementRef(serializers.Serializer):
        version = serializers.CharField()
        title = serializers.CharField()
        url = serializers.CharField()

    class PreviewRelationshipTypeSerializer(serializers.Serializer):
        code = serializers.ChoiceField(choices=types.CHOICES)
        name = serializers.CharField()
        description = serializers.CharField(help_text="What the type unlocks in Liaison")

    class PreviewRoleSerializer(serializers.Serializer):
        role_definition_id = serializers.UUIDField()
        name = serializers.CharField()
        description = serializers.CharField()
        is_privileged = serializers.BooleanField()

    partner = TenantNameSerializer()
    partner_summary = serializers.CharField()
    email = serializers.EmailField()
    customer_tenant_id = serializers.UUIDField(allow_null=True)
    relationship_types = PreviewRelationshipTypeSerializer(many=True)
    requested_roles = PreviewRoleSerializer(many=True)
    duration = IsoDurationField(allow_null=True)
    auto_extend_duration = IsoDurationField(allow_null=True)
    message = serializers.CharField()
    agreement = AgreementRef(allow_null=True)
    expires_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=Invitation.Status.choices)


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
                # For the page (the API serializer leaves these out): the active language's.
                "display_name": r.display_name,
                "display_description": r.display_summary,
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
    @api_schema(
        responses=InvitationPreviewSerializer,
        errors={404: "No invitation has this token (or the link was replaced by a resend)"},
        summary="Preview an invitation",
    )
    def get(self, request, token):
        invitation = selectors.get_invitation_by_token(token)
        return Response(InvitationPreviewSerializer(preview(invitation)).data)


class InvitationAcceptView(APIView):
    class InvitationAcceptInputSerializer(serializers.Serializer):
        tenant_id = serializers.UUIDField()
        accept_agreement = serializers.BooleanField(required=False, default=False)
        approved_role_definition_ids = serializers.ListField(
            child=serializers.UUIDField(), required=False, allow_empty=False
        )

    @api_schema(
        request=InvitationAcceptInputSerializer,
        responses=PartnerRelationshipSerializer,
        errors={
            400: "agreement_required (accept_agreement is not true while the tenant has not "
            "accepted the newest agreement), or bad input",
            403: "wrong_tenant (the invitation names another customer), or the caller is not "
            "an own admin with partners.manage in tenant_id",
            404: "No invitation has this token, or no tenant the caller can see has tenant_id",
            409: "The invitation is not pending (invalid_state)",
        },
        summary="Accept & authorise the partner (partners.manage in tenant_id)",
        description="Answers the customer's partner relationship as it now stands.",
        idempotent=True,
    )
    @idempotent()
    def post(self, request, token):
        # One transaction (idempotent): the answer is read before the commit, so a read
        # that fails undoes the acceptance instead of reporting a committed one as failed.
        data = validated(self.InvitationAcceptInputSerializer, request)
        tenant = get_tenant(data["tenant_id"])
        relationship = services.accept_invitation(
            by=request.user,
            token=token,
            tenant=tenant,
            accept_agreement=data["accept_agreement"],
            approved_role_ids=data.get("approved_role_definition_ids"),
        )
        relationship = selectors.get_partner_relationship_or_404(tenant, relationship.partner_id)
        return Response(PartnerRelationshipSerializer(relationship).data)


class InvitationDeclineView(APIView):
    class InvitationDeclineInputSerializer(serializers.Serializer):
        tenant_id = serializers.UUIDField()

    @api_schema(
        request=InvitationDeclineInputSerializer,
        responses=InvitationSerializer,
        errors={
            403: "wrong_tenant, or not an own admin with partners.manage in tenant_id",
            404: "No invitation has this token, or no tenant the caller can see has tenant_id",
            409: "The invitation is not pending (invalid_state)",
        },
        summary="Decline an invitation",
        idempotent=True,
    )
    @idempotent()
    def post(self, request, token):
        data = validated(self.InvitationDeclineInputSerializer, request)
        tenant = get_tenant(data["tenant_id"])
        invitation = services.decline_invitation(by=request.user, token=token, tenant=tenant)
        return Response(InvitationSerializer(invitation).data)
