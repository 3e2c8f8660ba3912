"""REST endpoints of industry apps: the customer lists and decides; an industry partner's
managers submit and see their own submissions."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import serializers, status
from rest_framework.response import Response

from core.api import (
    NOT_FOUND_EXAMPLE,
    TenantAPIView,
    error_example,
    paginate,
    tenant_schema,
    validated,
)
from core.filters import filter_or_400
from core.serializers import TenantRefSerializer, UserRefSerializer, ref
from industry import selectors, services
from industry.filters import IndustryAppFilter
from industry.models import IndustryApp
from roles.permissions import INDUSTRY_APPS_SUBMIT, PARTNERS_READ

READ = (PARTNERS_READ, INDUSTRY_APPS_SUBMIT)

APP_EXAMPLE = {
    "id": "5d0c9e4a-7b1f-4c2e-8a3d-9f6b2e1c0a7d",
    "name": "Clinic scheduler",
    "version": "2.4.0",
    "summary": "Appointment scheduling for outpatient clinics.",
    "link": "https://apps.example/clinic-scheduler",
    "status": "submitted",
    "partner": {"tenant_id": "c1b6a5d4-8e2f-4a3b-9c7d-0e1f2a3b4c5d", "name": "Litware Health"},
    "submitted_by": {"id": "2b9d2a52-1f7e-4f53-8d7c-1c0e2c8f4e11", "email": "pm@litware.example"},
    "submitted_at": "2026-11-24T10:00:00Z",
    "decided_by": None,
    "decided_at": None,
    "decision_note": "",
}
INVALID_STATE_EXAMPLE = error_example(
    "Already decided",
    status=409,
    code="invalid_state",
    detail="This is not possible while the status is “Rejected”.",
)


IndustryAppUserRefSerializer = ref(UserRefSerializer, "IndustryAppUserRef")


IndustryAppPartnerRefSerializer = ref(TenantRefSerializer, "IndustryAppPartnerRef")


class IndustryAppSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    version = serializers.CharField()
    summary = serializers.CharField()
    link = serializers.URLField()
    status = serializers.ChoiceField(choices=IndustryApp.Status.choices)
    partner = IndustryAppPartnerRefSerializer()
    submitted_by = IndustryAppUserRefSerializer(allow_null=True)
    submitted_at = serializers.DateTimeField()
    decided_by = IndustryAppUserRefSerializer(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField(allow_blank=True)


class IndustryAppsView(TenantAPIView):
    required = {"GET": READ, "POST": INDUSTRY_APPS_SUBMIT}

    class IndustryAppSubmitInputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=services.LIMITS["name"])
        version = serializers.CharField(max_length=services.LIMITS["version"])
        summary = serializers.CharField(max_length=services.LIMITS["summary"])
        link = serializers.URLField(max_length=services.LIMITS["link"])
        partner_tenant_id = serializers.UUIDField(
            required=False,
            help_text="Submit as this partner (needed only by someone who manages more than "
            "one industry partner of the tenant)",
        )

    @tenant_schema(
        parameters=[OpenApiParameter("status", str, enum=list(IndustryApp.Status.values))],
        page_of=IndustryAppSerializer,
        summary="Industry apps submitted to the tenant (a partner sees its own)",
        examples=[OpenApiExample("An app", value=APP_EXAMPLE, response_only=True)],
    )
    def get(self, request, tid):
        rows = filter_or_400(
            IndustryAppFilter,
            request.query_params,
            selectors.visible_apps(self.tenant, self.access),
        )
        return paginate(self, rows, IndustryAppSerializer)

    @tenant_schema(
        request=IndustryAppSubmitInputSerializer,
        responses={201: IndustryAppSerializer},
        errors={
            404: "partner_tenant_id names no industry partner the caller manages here",
            409: "The same version of the app is awaiting a decision (invalid_state)",
        },
        summary="Submit an industry app for the customer's approval (industry partners)",
        examples=[
            OpenApiExample(
                "Submit",
                value={k: APP_EXAMPLE[k] for k in ("name", "version", "summary", "link")},
                request_only=True,
            ),
            OpenApiExample(
                "Submitted", value=APP_EXAMPLE, response_only=True, status_codes=["201"]
            ),
            OpenApiExample(
                "Same version pending",
                value={
                    "detail": "This version of the app is already awaiting a decision.",
                    "code": "invalid_state",
                },
                response_only=True,
                status_codes=["409"],
            ),
        ],
    )
    def post(self, request, tid):
        data = dict(validated(self.IndustryAppSubmitInputSerializer, request))
        app = services.submit_app(
            by=request.user,
            tenant=self.tenant,
            partner_tenant_id=data.pop("partner_tenant_id", None),
            **data,
        )
        app = selectors.get_app_or_404(self.tenant, app.pk, self.access)
        return Response(IndustryAppSerializer(app).data, status=status.HTTP_201_CREATED)


class IndustryAppView(TenantAPIView):
    required = {"GET": READ}

    @tenant_schema(
        responses=IndustryAppSerializer,
        summary="One industry app",
        examples=[NOT_FOUND_EXAMPLE],
    )
    def get(self, request, tid, app_id):
        app = selectors.get_app_or_404(self.tenant, app_id, self.access)
        return Response(IndustryAppSerializer(app).data)


class IndustryAppDecisionInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=services.NOTE_MAX, required=False, allow_blank=True)


class _DecisionView(TenantAPIView):
    required = {"POST": services.APPROVE_PERMISSION}
    service = None

    def post(self, request, tid, app_id):
        data = validated(IndustryAppDecisionInputSerializer, request)
        app = self.service(
            by=request.user, tenant=self.tenant, app_id=app_id, note=data.get("note", "")
        )
        app = selectors.get_app_or_404(self.tenant, app.pk, self.access)
        return Response(IndustryAppSerializer(app).data)


def _decision_schema(verb: str):
    return tenant_schema(
        request=IndustryAppDecisionInputSerializer,
        responses=IndustryAppSerializer,
        errors={409: "The app is not submitted: decided already (invalid_state)"},
        summary=f"{verb.capitalize()} a submitted industry app (the customer's Global "
        "Administrator; 409 unless submitted)",
        examples=[
            OpenApiExample("With a note", value={"note": "Reviewed by IT."}, request_only=True),
            OpenApiExample(
                "Decided",
                value={**APP_EXAMPLE, "status": f"{verb}d" if verb.endswith("e") else f"{verb}ed"},
                response_only=True,
                status_codes=["200"],
            ),
            INVALID_STATE_EXAMPLE,
            NOT_FOUND_EXAMPLE,
        ],
    )


class IndustryAppApproveView(_DecisionView):
    service = staticmethod(services.approve_app)

    @_decision_schema("approve")
    def post(self, request, tid, app_id):
        return super().post(request, tid, app_id)


class IndustryAppRejectView(_DecisionView):
    service = staticmethod(services.reject_app)

    @_decision_schema("reject")
    def post(self, request, tid, app_id):
        return super().post(request, tid, app_id)
