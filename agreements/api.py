from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from agreements import selectors, services
from core.api import TenantAPIView, tenant_schema
from core.serializers import UserRefSerializer, ref
from roles.permissions import AGREEMENTS_ACCEPT, PARTNERS_READ


class AgreementVersionSerializer(serializers.Serializer):
    version = serializers.CharField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField()

    def get_url(self, version) -> str:
        from django.conf import settings
        from django.urls import reverse

        return version.url or settings.SITE_URL + reverse("agreement_text", args=[version.version])


AgreementUserRefSerializer = ref(UserRefSerializer, "AgreementUserRef")


class AcceptanceSerializer(serializers.Serializer):
    version = serializers.CharField(source="version.version")
    accepted_by = serializers.SerializerMethodField()
    accepted_at = serializers.DateTimeField()
    name = serializers.CharField()
    email = serializers.EmailField()
    attestation = serializers.CharField()

    @extend_schema_field(AgreementUserRefSerializer(allow_null=True))
    def get_accepted_by(self, acceptance) -> dict | None:
        user = acceptance.accepted_by
        return {"id": str(user.pk), "email": user.email} if user else None


class TenantAgreementSerializer(serializers.Serializer):
    version = AgreementVersionSerializer(allow_null=True)
    accepted = serializers.BooleanField()
    acceptance = AcceptanceSerializer(allow_null=True)
    attestation = serializers.CharField(allow_null=True)


def _agreement_state(tenant) -> dict:
    version = selectors.current_version()
    acceptance = selectors.acceptance_of(tenant, version)
    return {
        "version": version,
        "accepted": acceptance is not None,
        "acceptance": acceptance,
        "attestation": services.attestation_text(version) if version else None,
    }


class TenantAgreementView(TenantAPIView):
    required = {"GET": PARTNERS_READ}

    @tenant_schema(responses=TenantAgreementSerializer, summary="The customer agreement and ours")
    def get(self, request, tid):
        return Response(TenantAgreementSerializer(_agreement_state(self.tenant)).data)


class AcceptAgreementView(TenantAPIView):
    required = {"POST": AGREEMENTS_ACCEPT}

    class AcceptAgreementInputSerializer(serializers.Serializer):
        version = serializers.CharField(max_length=40)
        attest = serializers.BooleanField()

    @tenant_schema(
        request=AcceptAgreementInputSerializer,
        responses=TenantAgreementSerializer,
        errors={
            400: "attestation_required (attest is not true), outdated_version (not the "
            "newest version), or bad input",
            409: "No customer agreement is published (invalid_state)",
        },
        summary="Accept the newest customer agreement",
    )
    def post(self, request, tid):
        serializer = self.AcceptAgreementInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.accept_agreement(by=request.user, tenant=self.tenant, **serializer.validated_data)
        return Response(TenantAgreementSerializer(_agreement_state(self.tenant)).data)
