"""Relationships' reads, tenant-scoped: views and the API read through these.

partner_relationships: a partner's customers, a customer's partners and the admin roles
they hold, one relationship and its history; invitations: sent, received, by status;
gdap: delegated admin relationships of either side, their assignments, grants ending
soon. Callers import from relationships.selectors.
"""

from relationships.selectors.gdap import (
    assignments_of,
    ending_soon,
    expiring_of,
    expiring_summary,
    expiring_window,
    get_relationship_or_404,
    relationships_of,
    relationships_of_customer,
    relationships_of_partner,
    with_status_at,
)
from relationships.selectors.invitations import (
    get_invitation_by_token,
    invitations_received,
    invitations_sent,
    with_status,
)
from relationships.selectors.partner_relationships import (
    admin_roles_by_partner,
    customer_choices,
    customers_of,
    get_partner_relationship_or_404,
    history,
    needs_agreement,
    partner_customer_or_404,
    partners_of,
)

__all__ = [
    "admin_roles_by_partner",
    "assignments_of",
    "customer_choices",
    "customers_of",
    "ending_soon",
    "expiring_of",
    "expiring_summary",
    "expiring_window",
    "get_invitation_by_token",
    "get_partner_relationship_or_404",
    "get_relationship_or_404",
    "history",
    "invitations_received",
    "invitations_sent",
    "needs_agreement",
    "partner_customer_or_404",
    "partners_of",
    "relationships_of",
    "relationships_of_customer",
    "relationships_of_partner",
    "with_status",
    "with_status_at",
]
