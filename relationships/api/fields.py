"""Serializer fields and choices shared by the relationships API modules (their enums)."""

from rest_framework import serializers

from partners import relationship_types as types
from relationships.models import DelegatedAdminRelationship

# The relationship types a partner may ask a customer for (industry_partner is not one).
ASSIGNABLE_TYPE_CHOICES = [(t.code, t.label) for t in types.TYPES if t.assignable]

# Graph's delegatedAdminRelationshipRequest: what a request did, and where it stands.
REQUEST_ACTION_CHOICES = ["lockForApproval", "terminate"]
REQUEST_STATUS_CHOICES = ["created", "pending", "succeeded", "failed"]

# Graph's delegatedAdminAccessAssignmentStatus (Liaison's assignments read "active").
ASSIGNMENT_STATUS_CHOICES = ["pending", "active", "deleting", "deleted", "error"]

# Where a partner's admin role in a customer tenant comes from.
ADMIN_ROLE_SOURCE_CHOICES = ["gdap", "advisor", "user_account"]


def relationship_type_list(**kwargs) -> serializers.ListField:
    """A list of relationship type codes (any of the nine)."""
    return serializers.ListField(child=serializers.ChoiceField(choices=types.CHOICES), **kwargs)


def relationship_status(**kwargs) -> serializers.ChoiceField:
    """A GDAP relationship's status, as read now."""
    return serializers.ChoiceField(choices=DelegatedAdminRelationship.Status.choices, **kwargs)


class AssignableTypeField(serializers.ChoiceField):
    """An assignable relationship type in the schema; any known type passes here, so that
    the service refuses an unassignable one by name ("Not available to assign: ...")."""

    def __init__(self, **kwargs):
        super().__init__(choices=ASSIGNABLE_TYPE_CHOICES, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and data in types.BY_CODE:
            return data
        return super().to_internal_value(data)
