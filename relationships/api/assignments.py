"""The API of access assignments: which of the partner's security groups hold which of a
GDAP relationship's approved roles (.../delegated-admin-relationships/{id}/access-assignments)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from core.api import TenantAPIView, paginate, tenant_schema, validated
from core.idempotency import idempotent
from core.scoping import get_in_tenant_or_404
from relationships import selectors, services
from relationships.api.fields import ASSIGNMENT_STATUS_CHOICES
from relationships.api.gdap import AccessDetailsSerializer, role_ids_of
from roles.permissions import PARTNERS_MANAGE, PARTNERS_READ


class AccessAssignmentSerializer(serializers.Serializer):
    class AccessContainerSerializer(serializers.Serializer):
        access_container_id = serializers.UUIDField(source="security_group_id")
        access_container_type = serializers.SerializerMethodField()
        display_name = serializers.CharField(source="security_group.name")

        def get_access_container_type(self, obj) -> str:
            return "securityGroup"

    id = serializers.UUIDField()
    status = serializers.SerializerMethodField()
    access_container = AccessContainerSerializer(source="*")
    access_details = serializers.SerializerMethodField()
    created_date_time = serializers.DateTimeField(source="created_at")
    last_modified_date_time = serializers.DateTimeField(source="last_modified_at")

    @extend_schema_field(serializers.ChoiceField(choices=ASSIGNMENT_STATUS_CHOICES))
    def get_status(self, obj) -> str:
        return obj.status

    @extend_schema_field(AccessDetailsSerializer)
    def get_access_details(self, obj):
        return {"unified_roles": [{"role_definition_id": str(r.id)} for r in obj.roles.all()]}


class AccessAssignmentInputSerializer(serializers.Serializer):
    class AccessContainerInputSerializer(serializers.Serializer):
        access_container_id = serializers.UUIDField()
        access_container_type = serializers.ChoiceField(choices=["securityGroup"])

    access_container = AccessContainerInputSerializer()
    access_details = AccessDetailsSerializer()


class AccessAssignmentsView(TenantAPIView):
    required = {"GET": PARTNERS_READ, "POST": PARTNERS_MANAGE}

    @tenant_schema(page_of=AccessAssignmentSerializer, summary="Access assignments")
    def get(self, request, tid, rid):
        rel = selectors.get_relationship_or_404(self.tenant, rid)
        return paginate(self, selectors.assignments_of(rel), AccessAssignmentSerializer)

    @tenant_schema(
        request=AccessAssignmentInputSerializer,
        responses={201: AccessAssignmentSerializer},
        errors={409: "The relationship is not active (invalid_state)"},
        summary="Give a partner security group some approved roles",
        idempotent=True,
    )
    @idempotent()
    def post(self, request, tid, rid):
        data = validated(AccessAssignmentInputSerializer, request)
        assignment = services.create_access_assignment(
            by=request.user,
            partner=self.tenant,
            relationship_id=rid,
            security_group_id=data["access_container"]["access_container_id"],
            role_ids=role_ids_of(data["access_details"]),
        )
        assignment = selectors.assignments_of(assignment.relationship).get(pk=assignment.pk)
        return Response(AccessAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class AccessAssignmentPatchSerializer(serializers.Serializer):
    access_details = AccessDetailsSerializer()


class AccessAssignmentDetailView(TenantAPIView):
    required = {"GET": PARTNERS_READ, "PATCH": PARTNERS_MANAGE, "DELETE": PARTNERS_MANAGE}

    @tenant_schema(responses=AccessAssignmentSerializer, summary="One access assignment")
    def get(self, request, tid, rid, aid):
        rel = selectors.get_relationship_or_404(self.tenant, rid)
        assignment = get_in_tenant_or_404(
            selectors.assignments_of(rel), rel, tenant_field="relationship", pk=aid
        )
        return Response(AccessAssignmentSerializer(assignment).data)

    @tenant_schema(
        request=AccessAssignmentPatchSerializer,
        responses=AccessAssignmentSerializer,
        summary="Change the roles of an access assignment (among the approved roles)",
    )
    def patch(self, request, tid, rid, aid):
        data = validated(AccessAssignmentPatchSerializer, request)
        assignment, _operation = services.update_access_assignment(
            by=request.user,
            partner=self.tenant,
            relationship_id=rid,
            assignment_id=aid,
            role_ids=role_ids_of(data["access_details"]),
        )
        assignment = selectors.assignments_of(assignment.relationship).get(pk=assignment.pk)
        return Response(AccessAssignmentSerializer(assignment).data)

    @tenant_schema(responses={204: None}, summary="Remove an access assignment")
    def delete(self, request, tid, rid, aid):
        services.delete_access_assignment(
            by=request.user, partner=self.tenant, relationship_id=rid, assignment_id=aid
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
