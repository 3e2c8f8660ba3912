"""Helpers shared by the partner pages."""

from partners import relationship_types as types

PER_PAGE = 25  # invitations, customers, partner relationships


def type_rows(codes) -> list[types.RelationshipType]:
    return [types.get(c) for c in codes if c in types.BY_CODE]
