from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from roles import catalog


class RoleSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField(source="summary")
    is_privileged = serializers.BooleanField()
    gdap_assignable = serializers.BooleanField()
    blocks_auto_extend = serializers.BooleanField()


@method_decorator(cache_control(private=True, max_age=300), name="get")
class RolesView(APIView):
    @extend_schema(
        responses=RoleSerializer(many=True),
        summary="The role catalog (Microsoft Entra built-in roles, by template id)",
    )
    def get(self, request):
        roles = sorted(catalog.roles_by_id().values(), key=lambda r: r.name)
        return Response(RoleSerializer(roles, many=True).data)
