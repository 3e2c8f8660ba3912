"""REST endpoints: who am I, tenants, users, security groups, personal access tokens."""

from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import TenantAPIView, paginate, tenant_schema, validated
from roles.permissions import ROLES_ASSIGN, USERS_MANAGE, USERS_READ, USERS_RESET_PASSWORD
from tenants import selectors, services


class RoleRefSerializer(serializers.Serializer):
    role_definition_id = serializers.UUIDField(source="id")
    name = serializers.CharField()


class TenantSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    slug = serializers.CharField()
    country = CountryField()
    primary_domain = serializers.CharField()
    created_at = serializers.DateTimeField()


class MeView(APIView):
    class MeOutputSerializer(serializers.Serializer):
        class MeTenantSerializer(serializers.Serializer):
            id = serializers.UUIDField(source="tenant.id")
            name = serializers.CharField(source="tenant.name")
            is_partner = serializers.BooleanField(source="tenant.is_partner")
            roles = serializers.SerializerMethodField()
            permissions = serializers.ListField(child=serializers.CharField())
            via = serializers.CharField()

            def get_roles(self, row) -> list[str]:
                return [role.name for role in row["roles"]]

        id = serializers.UUIDField()
        email = serializers.EmailField()
        display_name = serializers.CharField()
        language = serializers.CharField()
        tenants = MeTenantSerializer(many=True)

    @extend_schema(responses=MeOutputSerializer, summary="Who am I")
    def get(self, request):
        user = request.user
        data = {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "tenants": selectors.actable_tenants(user),
        }
        return Response(self.MeOutputSerializer(data).data)


class TenantCreateView(APIView):
    class TenantCreateInputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        country = CountryField()
        domain = serializers.CharField(max_length=253, required=False, allow_blank=True)

    @extend_schema(
        request=TenantCreateInputSerializer,
        responses={201: TenantSerializer},
        summary="Create a tenant; the caller becomes its Global Administrator",
    )
    def post(self, request):
        data = validated(self.TenantCreateInputSerializer, request)
        tenant = services.create_tenant(
            by=request.user,
            name=data["name"],
            country=data["country"],
            domain=data.get("domain", ""),
        )
        return Response(TenantSerializer(tenant).data, status=status.HTTP_201_CREATED)


class TenantMeView(TenantAPIView):
    required = {"GET": None}

    class TenantAccessSerializer(serializers.Serializer):
        class RoleGrantSerializer(serializers.Serializer):
            role_definition_id = serializers.UUIDField(source="role_id")
            name = serializers.CharField(source="role.name")
            source = serializers.SerializerMethodField()
            relationship_id = serializers.UUIDField(allow_null=True)
            end_at = serializers.DateTimeField(allow_null=True)

            def get_source(self, grant) -> str:
                return grant.source

        roles = RoleGrantSerializer(many=True, source="grants")
        permissions = serializers.SerializerMethodField()

        def get_permissions(self, tenant_access) -> list[str]:
            return sorted(tenant_access.permissions)

    @tenant_schema(responses=TenantAccessSerializer, summary="My roles and permissions in a tenant")
    def get(self, request, tid):
        return Response(self.TenantAccessSerializer(self.access).data)


class MemberSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="user.id")
    email = serializers.EmailField(source="user.email")
    display_name = serializers.CharField(source="user.display_name")
    roles = RoleRefSerializer(many=True, source="roles.all")
    partner_tenant_id = serializers.UUIDField(allow_null=True)
    added_at = serializers.DateTimeField(source="created_at")


class UsersView(TenantAPIView):
    required = {"GET": USERS_READ, "POST": USERS_MANAGE}

    class MemberCreateInputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        display_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
        role_definition_ids = serializers.ListField(
            child=serializers.UUIDField(), required=False, default=list
        )
        partner_tenant_id = serializers.UUIDField(
            required=False,
            allow_null=True,
            help_text="Makes a partner user account: the partner this person works for.",
        )

    @tenant_schema(responses=MemberSerializer(many=True), summary="Members of the tenant")
    def get(self, request, tid):
        return paginate(self, selectors.members_of(self.tenant), MemberSerializer)

    @tenant_schema(
        request=MemberCreateInputSerializer,
        responses={201: MemberSerializer},
        summary="Add a member (creating the account if new)",
    )
    def post(self, request, tid):
        data = validated(self.MemberCreateInputSerializer, request)
        membership = services.add_member(
            by=request.user,
            tenant=self.tenant,
            email=data["email"],
            display_name=data.get("display_name", ""),
            role_ids=data["role_definition_ids"],
            partner_tenant_id=data.get("partner_tenant_id"),
        )
        membership = selectors.get_membership_or_404(self.tenant, membership.user_id)
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class UserDetailView(TenantAPIView):
    required = {"GET": USERS_READ, "DELETE": USERS_MANAGE}

    @tenant_schema(responses=MemberSerializer, summary="One member")
    def get(self, request, tid, uid):
        membership = selectors.get_membership_or_404(self.tenant, uid)
        return Response(MemberSerializer(membership).data)

    @tenant_schema(responses={204: None}, summary="Remove a member from the tenant")
    def delete(self, request, tid, uid):
        services.remove_member(by=request.user, tenant=self.tenant, user_id=uid)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserRolesView(TenantAPIView):
    required = {"PUT": ROLES_ASSIGN}

    class MemberRolesInputSerializer(serializers.Serializer):
        role_definition_ids = serializers.ListField(child=serializers.UUIDField())

    @tenant_schema(
        request=MemberRolesInputSerializer, responses=MemberSerializer, summary="Set roles"
    )
    def put(self, request, tid, uid):
        data = validated(self.MemberRolesInputSerializer, request)
        services.set_member_roles(
            by=request.user, tenant=self.tenant, user_id=uid, role_ids=data["role_definition_ids"]
        )
        membership = selectors.get_membership_or_404(self.tenant, uid)
        return Response(MemberSerializer(membership).data)


class ResetPasswordView(TenantAPIView):
    required = {"POST": USERS_RESET_PASSWORD}

    @tenant_schema(
        request=None,
        responses=inline_serializer(
            "TemporaryPassword", {"temporary_password": serializers.CharField()}
        ),
        summary="Reset a member's password; the temporary password is shown once",
    )
    def post(self, request, tid, uid):
        temporary = services.reset_password(by=request.user, tenant=self.tenant, user_id=uid)
        response = Response({"temporary_password": temporary})
        response["Cache-Control"] = "no-store"
        return response


class SecurityGroupSerializer(serializers.Serializer):
    class GroupMemberSerializer(serializers.Serializer):
        id = serializers.UUIDField()
        email = serializers.EmailField()
        display_name = serializers.CharField()

    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField()
    member_count = serializers.SerializerMethodField()
    members = GroupMemberSerializer(many=True, source="members.all")
    created_at = serializers.DateTimeField()

    def get_member_count(self, group) -> int:
        return len(group.members.all())


class SecurityGroupsView(TenantAPIView):
    required = {"GET": USERS_READ, "POST": USERS_MANAGE}

    class SecurityGroupInputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=120)
        description = serializers.CharField(max_length=300, required=False, allow_blank=True)

    @tenant_schema(responses=SecurityGroupSerializer(many=True), summary="Security groups")
    def get(self, request, tid):
        return paginate(self, selectors.security_groups_of(self.tenant), SecurityGroupSerializer)

    @tenant_schema(
        request=SecurityGroupInputSerializer,
        responses={201: SecurityGroupSerializer},
        summary="Create a group",
    )
    def post(self, request, tid):
        data = validated(self.SecurityGroupInputSerializer, request)
        group = services.create_security_group(
            by=request.user,
            tenant=self.tenant,
            name=data["name"],
            description=data.get("description", ""),
        )
        group = selectors.get_security_group_or_404(self.tenant, group.pk)
        return Response(SecurityGroupSerializer(group).data, status=status.HTTP_201_CREATED)


class SecurityGroupDetailView(TenantAPIView):
    required = {"GET": USERS_READ, "PATCH": USERS_MANAGE, "DELETE": USERS_MANAGE}

    SecurityGroupInputSerializer = SecurityGroupsView.SecurityGroupInputSerializer

    @tenant_schema(responses=SecurityGroupSerializer, summary="One security group")
    def get(self, request, tid, gid):
        group = selectors.get_security_group_or_404(self.tenant, gid)
        return Response(SecurityGroupSerializer(group).data)

    @tenant_schema(
        request=SecurityGroupInputSerializer,
        responses=SecurityGroupSerializer,
        summary="Rename a group",
    )
    def patch(self, request, tid, gid):
        data = validated(self.SecurityGroupInputSerializer, request)
        services.rename_security_group(
            by=request.user,
            tenant=self.tenant,
            group_id=gid,
            name=data["name"],
            description=data.get("description"),
        )
        group = selectors.get_security_group_or_404(self.tenant, gid)
        return Response(SecurityGroupSerializer(group).data)

    @tenant_schema(responses={204: None}, summary="Delete a group")
    def delete(self, request, tid, gid):
        services.delete_security_group(by=request.user, tenant=self.tenant, group_id=gid)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SecurityGroupMembersView(TenantAPIView):
    required = {"PUT": USERS_MANAGE}

    class SecurityGroupMembersInputSerializer(serializers.Serializer):
        user_ids = serializers.ListField(child=serializers.UUIDField(), allow_empty=True)

    @tenant_schema(
        request=SecurityGroupMembersInputSerializer,
        responses=SecurityGroupSerializer,
        summary="Set group members",
    )
    def put(self, request, tid, gid):
        data = validated(self.SecurityGroupMembersInputSerializer, request)
        services.set_security_group_members(
            by=request.user, tenant=self.tenant, group_id=gid, user_ids=data["user_ids"]
        )
        group = selectors.get_security_group_or_404(self.tenant, gid)
        return Response(SecurityGroupSerializer(group).data)


class ApiTokenSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(allow_null=True)


class ApiTokensView(APIView):
    class ApiTokenInputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100)
        expires_at = serializers.DateTimeField(required=False, allow_null=True)

    @extend_schema(responses=ApiTokenSerializer(many=True), summary="My personal access tokens")
    def get(self, request):
        return paginate(self, selectors.api_tokens_of(request.user), ApiTokenSerializer)

    @extend_schema(
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
            by=request.user, name=data["name"], expires_at=data.get("expires_at")
        )
        body = {"token": raw, "api_token": ApiTokenSerializer(token).data}
        return Response(body, status=status.HTTP_201_CREATED)


class ApiTokenDetailView(APIView):
    @extend_schema(responses={204: None}, summary="Revoke a personal access token")
    def delete(self, request, token_id):
        services.revoke_api_token(by=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
