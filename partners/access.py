"""What relationship types allow, for roles.access: the resolver's capability source.

Registered in partners/apps.py (roles.access.CAPABILITY_SOURCES), so the resolver decides
what a partner may do in a customer tenant through its relationship types, like roles.
"""

from partners.models import PartnerRelationship


def type_capabilities(user, tenant_id, at) -> list:
    """The resolver's capability source: relationship types in force between the customer
    and the partners whose partners.manage the user holds (one query)."""
    from roles.access import Capability
    from roles.permissions import PARTNERS_MANAGE, TYPE_CAPABILITIES, role_id, roles_granting

    managing = [role_id(name) for name in roles_granting(PARTNERS_MANAGE)]
    rows = (
        PartnerRelationship.objects.filter(
            customer_id=tenant_id,
            partner__memberships__user=user,
            partner__memberships__roles__id__in=managing,
        )
        .exclude(types=[])
        .values_list("partner_id", "types")
        .distinct()
    )
    return [
        Capability(permission=perm, partner_tenant_id=partner_id, relationship_type=code)
        for partner_id, codes in rows
        for code in codes
        for perm in TYPE_CAPABILITIES.get(code, ())
    ]
