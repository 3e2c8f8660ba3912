"""Reads of industry apps; each scoped to a customer tenant, and a partner's to its own."""

from core.scoping import get_in_tenant_or_404
from industry.models import IndustryApp
from roles import access
from roles.permissions import INDUSTRY_APPS_SUBMIT, PARTNERS_READ


def _base():
    return IndustryApp.objects.select_related("partner", "submitted_by", "decided_by")


def _visible(tenant_access, qs):
    # All with partners.read; an industry partner's manager, those its partner submitted.
    return access.capability_scope(
        tenant_access,
        qs,
        unless=PARTNERS_READ,
        capability=INDUSTRY_APPS_SUBMIT,
        field="partner_id",
    )


def visible_apps(tenant, tenant_access):
    """The customer's apps the user may see, newest first (industry.filters narrows)."""
    return _visible(tenant_access, _base().filter(tenant=tenant)).order_by("-submitted_at", "-pk")


def partners_with_apps(tenant, tenant_access) -> list[tuple]:
    """(partner tenant id, name) of the partners whose apps the user sees here (one query)."""
    return list(
        _visible(tenant_access, IndustryApp.objects.filter(tenant=tenant))
        .order_by("partner__name")
        .values_list("partner_id", "partner__name")
        .distinct()
    )


def apps_submitted_by(tenant, partner):
    """The apps partner submitted to tenant (the partner's own page)."""
    return _base().filter(tenant=tenant, partner=partner).order_by("-submitted_at", "-pk")


def get_app_or_404(tenant, app_id, tenant_access) -> IndustryApp:
    return get_in_tenant_or_404(_visible(tenant_access, _base()), tenant, pk=app_id)
