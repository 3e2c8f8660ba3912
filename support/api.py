"""REST endpoints: support requests of a tenant, their comments, close and reopen."""

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.response import Response

from core.api import TenantAPIView, paginate, tenant_schema, validated
from core.filters import filter_or_400
from core.serializers import TenantRefSerializer, UserRefSerializer, ref
from roles.permissions import SUPPORT_MANAGE
from support import selectors, services
from support.filters import SupportRequestFilter
from support.models import SupportRequest

SupportUserRefSerializer = ref(UserRefSerializer, "SupportUserRef")


SupportPartnerRefSerializer = ref(TenantRefSerializer, "SupportPartnerRef")


class SupportCommentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    body = serializers.CharField()
    author = SupportUserRefSerializer(allow_null=True)
    acting_partner = SupportPartnerRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class SupportRequestSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    description = serializers.CharField()
    severity = serializers.ChoiceField(choices=SupportRequest.Severity.choices)
    status = serializers.ChoiceField(choices=SupportRequest.Status.choices)
    created_by = SupportUserRefSerializer(allow_null=True)
    acting_partner = SupportPartnerRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    comment_count = serializers.IntegerField()


class SupportRequestDetailSerializer(SupportRequestSerializer):
    closed_by = SupportUserRefSerializer(allow_null=True)
    comments = SupportCommentSerializer(many=True, source="comments.all")


class SupportRequestsView(TenantAPIView):
    required = {"GET": SUPPORT_MANAGE, "POST": SUPPORT_MANAGE}

    class SupportRequestCreateInputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=services.TITLE_MAX)
        description = serializers.CharField(max_length=services.TEXT_MAX)
        severity = serializers.ChoiceField(choices=SupportRequest.Severity.choices, required=False)

    @tenant_schema(
        parameters=[
            OpenApiParameter("status", str, enum=list(SupportRequest.Status.values)),
            OpenApiParameter("q", str, description="Text over title and description"),
        ],
        page_of=SupportRequestSerializer,
        summary="Support requests of the tenant, newest first",
    )
    def get(self, request, tid):
        rows = filter_or_400(
            SupportRequestFilter, request.query_params, selectors.requests_for(self.tenant)
        )
        return paginate(self, rows, SupportRequestSerializer)

    @tenant_schema(
        request=SupportRequestCreateInputSerializer,
        responses={201: SupportRequestDetailSerializer},
        summary="Open a support request",
    )
    def post(self, request, tid):
        data = validated(self.SupportRequestCreateInputSerializer, request)
        created = services.create_request(
            by=request.user,
            tenant=self.tenant,
            title=data["title"],
            description=data["description"],
            severity=data.get("severity", ""),
        )
        return _detail(self.tenant, created.pk, status.HTTP_201_CREATED)


class SupportRequestView(TenantAPIView):
    required = {"GET": SUPPORT_MANAGE}

    @tenant_schema(responses=SupportRequestDetailSerializer, summary="One support request")
    def get(self, request, tid, rid):
        return _detail(self.tenant, rid)


class SupportRequestCommentsView(TenantAPIView):
    required = {"POST": SUPPORT_MANAGE}

    class SupportCommentInputSerializer(serializers.Serializer):
        body = serializers.CharField(max_length=services.TEXT_MAX)

    @tenant_schema(
        request=SupportCommentInputSerializer,
        responses={201: SupportCommentSerializer},
        summary="Comment on a support request",
    )
    def post(self, request, tid, rid):
        data = validated(self.SupportCommentInputSerializer, request)
        comment = services.add_comment(
            by=request.user, tenant=self.tenant, request_id=rid, body=data["body"]
        )
        return Response(SupportCommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class SupportRequestCloseView(TenantAPIView):
    required = {"POST": SUPPORT_MANAGE}

    @tenant_schema(
        request=None,
        responses=SupportRequestDetailSerializer,
        errors={409: "The request is not open (invalid_state)"},
        summary="Close a support request (409 unless open)",
    )
    def post(self, request, tid, rid):
        services.close_request(by=request.user, tenant=self.tenant, request_id=rid)
        return _detail(self.tenant, rid)


class SupportRequestReopenView(TenantAPIView):
    required = {"POST": SUPPORT_MANAGE}

    @tenant_schema(
        request=None,
        responses=SupportRequestDetailSerializer,
        errors={409: "The request is not closed (invalid_state)"},
        summary="Reopen a support request (409 unless closed)",
    )
    def post(self, request, tid, rid):
        services.reopen_request(by=request.user, tenant=self.tenant, request_id=rid)
        return _detail(self.tenant, rid)


def _detail(tenant, request_id, status_code=status.HTTP_200_OK) -> Response:
    support_request = selectors.get_request_or_404(tenant, request_id)
    return Response(SupportRequestDetailSerializer(support_request).data, status=status_code)
