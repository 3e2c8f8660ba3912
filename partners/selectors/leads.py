"""Reads of leads: a partner's inbox, one lead, and the tenants a user may send
"Contact me" from."""

from django.db.models import Q

from core.scoping import get_in_tenant_or_404
from partners.models import Lead
from tenants.models import Tenant


def leads_for(tenant, *, status: str = "", q: str = ""):
    """Leads sent to the partner tenant, newest first, filtered by status and text."""
    qs = Lead.objects.filter(partner=tenant).select_related(
        "customer", "submitted_by", "org_size", "industry"
    )
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(
            Q(org_name__icontains=q)
            | Q(contact_name__icontains=q)
            | Q(email__icontains=q)
            | Q(city__icontains=q)
            | Q(business_needs__icontains=q)
        )
    return qs.order_by("-created_at")


def get_lead_or_404(tenant, lead_id) -> Lead:
    return get_in_tenant_or_404(
        Lead.objects.select_related("customer", "submitted_by", "org_size", "industry"),
        tenant,
        tenant_field="partner",
        pk=lead_id,
    )


def contact_tenants(user, partner_id) -> list:
    """Tenants the user is a member of and may send "Contact me" from (not the partner)."""
    if not getattr(user, "is_authenticated", False):
        return []

    return list(
        Tenant.objects.filter(memberships__user=user).exclude(pk=partner_id).order_by("name")
    )
