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
    gdap_customers_of,
    get_relationship_or_404,
    holds_privileged_assignment,
    operations_of,
    privileged_groups,
    relationships_of,
    relationships_of_customer,
    relationships_of_partner,
    relationships_of_parts,
    requests_of,
    with_status_at,
    with_status_now,
)
from relationships.selectors.invitations import (
    get_invitation_by_token,
    get_invitation_for_relationship,
    invitations_received,
    invitations_received_parts,
    invitations_sent,
    with_status,
)
from relationships.selectors.partner_relationships import (
    admin_roles_by_partner,
    customer_choices,
    customer_of,
    customer_rows,
    customers_of,
    get_partner_relationship_or_404,
    history,
    needs_agreement,
    partner_customer_or_404,
    partner_rows,
    partners_of,
    with_customer_details,
    with_partner_details,
)

__all__ = [
    "admin_roles_by_partner",
    "assignments_of",
    "customer_choices",
    "customer_of",
    "customer_rows",
    "customers_of",
    "ending_soon",
    "expiring_of",
    "expiring_summary",
    "expiring_window",
    "gdap_customers_of",
    "get_invitation_by_token",
    "get_invitation_for_relationship",
    "get_partner_relationship_or_404",
    "get_relationship_or_404",
    "history",
    "holds_privileged_assignment",
    "invitations_received",
    "invitations_received_parts",
    "invitations_sent",
    "needs_agreement",
    "operations_of",
    "partner_customer_or_404",
    "partner_rows",
    "partners_of",
    "privileged_groups",
    "relationships_of",
    "relationships_of_customer",
    "relationships_of_partner",
    "relationships_of_parts",
    "requests_of",
    "with_customer_details",
    "with_partner_details",
    "with_status",
    "with_status_at",
    "with_status_now",
]
