"""REST endpoints of the access model: the role catalog, who am I, my access in a tenant."""

from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import TenantAPIView, api_schema, tenant_schema
from roles import access, catalog

# How the caller reaches a tenant (/me) and where a role of theirs comes from (/tenants/{tid}/me).
VIA_CHOICES = [access.MEMBER, "delegated"]
GRANT_SOURCE_CHOICES = [access.MEMBER, "gdap"]


class RoleSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField(source="summary")
    is_privileged = serializers.BooleanField()
    gdap_assignable = serializers.BooleanField()
    blocks_auto_extend = serializers.BooleanField()


@method_decorator(cache_control(private=True, max_age=300), name="get")
class RolesView(APIView):
    @api_schema(
        responses=RoleSerializer(many=True),
        summary="The role catalog (Microsoft Entra built-in roles, by template id)",
    )
    def get(self, request):
        roles = sorted(catalog.roles_by_id().values(), key=lambda r: r.name)
        return Response(RoleSerializer(roles, many=True).data)


class MeView(APIView):
    class MeOutputSerializer(serializers.Serializer):
        class MeTenantSerializer(serializers.Serializer):
            id = serializers.UUIDField(source="tenant.id")
            name = serializers.CharField(source="tenant.name")
            is_partner = serializers.BooleanField(source="tenant.is_partner")
            roles = serializers.SerializerMethodField()
            permissions = serializers.ListField(child=serializers.CharField())
            via = serializers.ChoiceField(choices=VIA_CHOICES)

            def get_roles(self, row) -> list[str]:
                return [role.name for role in row["roles"]]

        id = serializers.UUIDField()
        email = serializers.EmailField()
        display_name = serializers.CharField()
        language = serializers.CharField()
        tenants = MeTenantSerializer(many=True)

    @api_schema(responses=MeOutputSerializer, summary="Who am I")
    def get(self, request):
        user = request.user
        data = {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "tenants": access.actable_tenants(user),
        }
        return Response(self.MeOutputSerializer(data).data)


class TenantMeView(TenantAPIView):
    required = {"GET": None}

    class TenantAccessSerializer(serializers.Serializer):
        class RoleGrantSerializer(serializers.Serializer):
            role_definition_id = serializers.UUIDField(source="role_id")
            name = serializers.CharField(source="role.name")
            source = serializers.SerializerMethodField()
            relationship_id = serializers.UUIDField(allow_null=True)
            end_at = serializers.DateTimeField(allow_null=True)

            @extend_schema_field(serializers.ChoiceField(choices=GRANT_SOURCE_CHOICES))
            def get_source(self, grant) -> str:
                return grant.source

        roles = RoleGrantSerializer(many=True, source="grants")
        permissions = serializers.SerializerMethodField()

        def get_permissions(self, tenant_access) -> list[str]:
            return sorted(tenant_access.permissions)

    @tenant_schema(responses=TenantAccessSerializer, summary="My roles and permissions in a tenant")
    def get(self, request, tid):
        return Response(self.TenantAccessSerializer(self.access).data)
