"""REST endpoints of the signed-in user's own account: personal access tokens."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import Pagination, api_schema, paginate, validated
from tenants import selectors, services, tokens


class ApiTokenSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    prefix = serializers.CharField()
    tenant_id = serializers.UUIDField(allow_null=True)
    scopes = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(allow_null=True)

    def get_scopes(self, token) -> list[str]:
        return list(token.scopes or tokens.DEFAULT_SCOPES)


class ApiTokensView(APIView):
    session_only = True  # a token cannot list or mint tokens
    pagination_class = Pagination

    class ApiTokenInputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100)
        expires_at = serializers.DateTimeField(required=False, allow_null=True)
        tenant_id = serializers.UUIDField(
            required=False,
            allow_null=True,
            help_text="Bind the token to this tenant: it opens no other.",
        )
        scopes = serializers.ListField(
            child=serializers.CharField(max_length=80),
            required=False,
            max_length=len(tokens.SCOPES),
            help_text="Some of: " + ", ".join(tokens.SCOPES) + " (default Liaison.ReadWrite).",
        )

    @api_schema(page_of=ApiTokenSerializer, summary="My personal access tokens")
    def get(self, request):
        return paginate(self, selectors.api_tokens_of(request.user), ApiTokenSerializer)

    @api_schema(
        request=ApiTokenInputSerializer,
        responses={
            201: inline_serializer(
                "CreatedApiToken",
                {"token": serializers.CharField(), "api_token": ApiTokenSerializer()},
            )
        },
        summary="Create a personal access token (the token is shown once)",
    )
    def post(self, request):
        data = validated(self.ApiTokenInputSerializer, request)
        token, raw = services.create_api_token(
            by=request.user,
            name=data["name"],
            expires_at=data.get("expires_at"),
            tenant_id=data.get("tenant_id"),
            scopes=data.get("scopes"),
        )
        body = {"token": raw, "api_token": ApiTokenSerializer(token).data}
        return Response(body, status=status.HTTP_201_CREATED)


class ApiTokenDetailView(APIView):
    session_only = True

    @api_schema(responses={204: None}, errors=(404,), summary="Revoke a personal access token")
    def delete(self, request, token_id):
        services.revoke_api_token(by=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
