"""Reads of industry apps; each scoped to a customer tenant, and a partner's to its own."""

from core.scoping import get_in_tenant_or_404
from industry.models import IndustryApp
from roles.permissions import INDUSTRY_APPS_SUBMIT, PARTNERS_READ


def _base():
    return IndustryApp.objects.select_related("partner", "submitted_by", "decided_by")


def visible_apps(tenant, tenant_access, *, status: str = ""):
    """The customer's apps: all with partners.read; an industry partner's manager, those
    its partner submitted (one query)."""
    qs = _base().filter(tenant=tenant)
    if not tenant_access.has(PARTNERS_READ):
        partners = tenant_access.capability_partners(INDUSTRY_APPS_SUBMIT)
        qs = qs.filter(partner_id__in=list(partners))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at", "-pk")


def apps_submitted_by(tenant, partner):
    """The apps partner submitted to tenant (the partner's own page)."""
    return _base().filter(tenant=tenant, partner=partner).order_by("-submitted_at", "-pk")


def get_app_or_404(tenant, app_id, tenant_access) -> IndustryApp:
    qs = _base()
    if not tenant_access.has(PARTNERS_READ):
        partners = tenant_access.capability_partners(INDUSTRY_APPS_SUBMIT)
        qs = qs.filter(partner_id__in=list(partners))
    return get_in_tenant_or_404(qs, tenant, pk=app_id)
