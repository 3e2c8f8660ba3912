"""REST endpoints: creating a tenant, its users and security groups."""

from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import Pagination, TenantAPIView, api_schema, paginate, tenant_schema, validated
from core.serializers import RoleRefSerializer, TenantRefSerializer, ref
from people import selectors as people_selectors
from people import services
from people.models import MembershipInvitation
from people.services import invitations as invitation_services
from roles.permissions import ROLES_ASSIGN, USERS_MANAGE, USERS_READ, USERS_RESET_PASSWORD
from tenants import selectors


class TenantSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    slug = serializers.CharField()
    country = CountryField()
    primary_domain = serializers.CharField()
    created_at = serializers.DateTimeField()


class TenantCreateView(APIView):
    class TenantCreateInputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        country = CountryField()
        domain = serializers.CharField(max_length=253, required=False, allow_blank=True)

    @api_schema(
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


class MemberSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="user.id")
    email = serializers.EmailField(source="user.email")
    display_name = serializers.CharField(source="user.display_name")
    roles = RoleRefSerializer(many=True, source="role_list")
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

    @tenant_schema(page_of=MemberSerializer, summary="Members of the tenant")
    def get(self, request, tid):
        return paginate(self, selectors.members_of(self.tenant), MemberSerializer)

    @tenant_schema(
        request=MemberCreateInputSerializer,
        responses={
            201: MemberSerializer,
            202: inline_serializer(
                "MembershipInvited",
                {
                    "status": serializers.ChoiceField(choices=["invited"]),
                    "invitation_id": serializers.UUIDField(),
                },
            ),
        },
        summary="Add a member: a new email gets an account (201); an existing account an "
        "invitation its holder accepts (202)",
    )
    def post(self, request, tid):
        data = validated(self.MemberCreateInputSerializer, request)
        added = services.add_member(
            by=request.user,
            tenant=self.tenant,
            email=data["email"],
            display_name=data.get("display_name", ""),
            role_ids=data["role_definition_ids"],
            partner_tenant_id=data.get("partner_tenant_id"),
        )
        if isinstance(added, MembershipInvitation):
            body = {"status": "invited", "invitation_id": str(added.pk)}
            return Response(body, status=status.HTTP_202_ACCEPTED)
        membership = selectors.get_membership_or_404(self.tenant, added.user_id)
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class UserDetailView(TenantAPIView):
    required = {"GET": USERS_READ, "DELETE": USERS_MANAGE}

    @tenant_schema(responses=MemberSerializer, summary="One member")
    def get(self, request, tid, uid):
        membership = selectors.get_membership_or_404(self.tenant, uid)
        return Response(MemberSerializer(membership).data)

    @tenant_schema(
        responses={204: None},
        errors={409: "It would leave the tenant without a Global Administrator"},
        summary="Remove a member from the tenant",
    )
    def delete(self, request, tid, uid):
        services.remove_member(by=request.user, tenant=self.tenant, user_id=uid)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserRolesView(TenantAPIView):
    required = {"PUT": ROLES_ASSIGN}

    class MemberRolesInputSerializer(serializers.Serializer):
        role_definition_ids = serializers.ListField(child=serializers.UUIDField())

    @tenant_schema(
        request=MemberRolesInputSerializer,
        responses=MemberSerializer,
        errors={409: "It would leave the tenant without a Global Administrator"},
        summary="Set roles",
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
        errors={
            400: "The caller's own password (changed on the account page instead)",
            409: "The user belongs to other organisations too: they reset their own",
        },
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

    @tenant_schema(page_of=SecurityGroupSerializer, summary="Security groups")
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


class MembershipInvitationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    tenant = ref(TenantRefSerializer, "MembershipInvitationTenant")()
    roles = RoleRefSerializer(many=True, source="roles.all")
    partner_tenant_id = serializers.UUIDField(allow_null=True)
    invited_by = serializers.EmailField(source="invited_by.email", allow_null=True)
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class MembershipInvitationsView(APIView):
    """The signed-in account's invitations to join a tenant."""

    pagination_class = Pagination

    @api_schema(
        page_of=MembershipInvitationSerializer,
        summary="Invitations to join a tenant, waiting for my answer",
    )
    def get(self, request):
        rows = people_selectors.pending_invitations_for(request.user)
        return paginate(self, rows, MembershipInvitationSerializer)


class MembershipInvitationAcceptView(APIView):
    session_only = True  # the holder answers while signed in, not a script

    @api_schema(
        request=None,
        responses=MemberSerializer,
        errors={
            403: "Needs a browser session (session_required)",
            404: "No such invitation waiting for this account",
            409: "The invitation is no longer pending (invalid_state)",
        },
        summary="Accept and join the tenant",
    )
    def post(self, request, invitation_id):
        membership = invitation_services.accept_membership_invitation(
            by=request.user, invitation_id=invitation_id
        )
        membership = selectors.get_membership_or_404(membership.tenant, request.user.pk)
        return Response(MemberSerializer(membership).data)


class MembershipInvitationDeclineView(APIView):
    session_only = True

    @api_schema(
        request=None,
        responses={204: None},
        errors={
            403: "Needs a browser session (session_required)",
            404: "No such invitation waiting for this account",
            409: "The invitation is no longer pending (invalid_state)",
        },
        summary="Decline the invitation",
    )
    def post(self, request, invitation_id):
        invitation_services.decline_membership_invitation(
            by=request.user, invitation_id=invitation_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
