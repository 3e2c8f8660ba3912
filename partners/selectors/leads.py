"""Reads of leads: a partner's inbox, one lead, and the tenants a user may send
"Contact me" from."""

from core.scoping import get_in_tenant_or_404
from partners.models import LEAD_TRANSITIONS, Lead
from roles.permissions import PARTNERS_MANAGE, role_ids_granting
from tenants.models import Tenant


def leads_for(tenant):
    """Leads sent to the partner tenant, newest first (partners.filters.LeadFilter narrows)."""
    return (
        Lead.objects.filter(partner=tenant)
        .select_related("customer", "submitted_by", "org_size", "industry")
        .order_by("-created_at", "-pk")  # the pk: pages of leads of the same moment stay put
    )


def get_lead_or_404(tenant, lead_id) -> Lead:
    return get_in_tenant_or_404(
        Lead.objects.select_related("customer", "submitted_by", "org_size", "industry"),
        tenant,
        tenant_field="partner",
        pk=lead_id,
    )


def contact_tenants(user, partner_id) -> list:
    """Tenants the user may send "Contact me" from: those where their own roles carry
    partners.manage (not the partner itself)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Tenant.objects.filter(
            memberships__user=user,
            memberships__membershiprole__roledefinition_id__in=role_ids_granting(PARTNERS_MANAGE),
            memberships__membershiprole__delegated_partner__isnull=True,
        )
        .exclude(pk=partner_id)
        .distinct()
        .order_by("name")
    )


def next_statuses(status: str) -> list[str]:
    """The statuses a lead in `status` may move to (for buttons)."""
    return [target for (source, _e), target in LEAD_TRANSITIONS.items() if source == status]
