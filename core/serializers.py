"""Serializer fields shared by the API modules of every app."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from core.durations import format_iso_duration, parse_iso_duration


@extend_schema_field({"type": "string", "format": "duration", "example": "P730D"})
class IsoDurationField(serializers.Field):
    """ISO 8601 durations as Graph writes them ("P730D", "PT0S")."""

    default_error_messages = {"invalid": "Use an ISO 8601 duration such as P730D or PT0S."}

    def to_internal_value(self, data):
        value = parse_iso_duration(data)
        if value is None:
            self.fail("invalid")
        return value

    def to_representation(self, value):
        return format_iso_duration(value)


class ServiceCheckedCharField(serializers.CharField):
    """A text input the service checks: required in the schema, but a missing value reaches
    the service as "", so that the service reports it with every other bad field at once."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data is empty:
            return (True, "")
        return super().validate_empty_values(data)


# Reference serializers: how one object points at another (a user, a partner tenant, a
# role). Defined once here; each API names its own copy (ref()) only so that the OpenAPI
# components keep the names clients were generated with. Comments, not docstrings: a
# docstring would become each component's description.


# A user as another object's author: {id, email}.
class UserRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()


# A tenant (a partner, a customer): {tenant_id, name}.
class TenantRefSerializer(serializers.Serializer):
    tenant_id = serializers.UUIDField(source="id")
    name = serializers.CharField()


# A tenant as Microsoft Graph names one: {tenant_id, display_name}.
class TenantDisplayNameRefSerializer(serializers.Serializer):
    tenant_id = serializers.UUIDField(source="id")
    display_name = serializers.CharField(source="name")


# A catalog role: {role_definition_id (its template id), name}.
class RoleRefSerializer(serializers.Serializer):
    role_definition_id = serializers.UUIDField(source="id")
    name = serializers.CharField()


def ref(base: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """base under another class name: its OpenAPI component is called `name`."""
    return type(f"{name}Serializer", (base,), {"__module__": base.__module__})
