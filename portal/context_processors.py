"""Template context for the layout: the tenant switcher and the left navigation."""

from django.urls import NoReverseMatch

from relationships.selectors import needs_agreement
from roles.access import actable_tenants
from roles.permissions import AGREEMENTS_ACCEPT
from tenants.models import Tenant


def _once(fn):
    """A callable templates may call many times; fn runs on the first call only."""
    result = []

    def call():
        if not result:
            result.append(fn())
        return result[0]

    return call


def _nav_sections(request, tenant, tenant_access):
    """[(title, [{"item", "url", "active"}])]: the item whose URL is the longest prefix
    of the current path is active (a member's page keeps "Users" marked)."""
    from portal.navigation import items_for

    sections = []
    for title, items in items_for(tenant, tenant_access):
        entries = []
        for item in items:
            try:
                url = item.url(tenant)
            except NoReverseMatch:
                continue
            entries.append({"item": item, "url": url, "active": False})
        sections.append((title, entries))
    matches = [
        entry
        for _title, entries in sections
        for entry in entries
        if request.path.startswith(entry["url"])
    ]
    if matches:
        max(matches, key=lambda entry: len(entry["url"]))["active"] = True
    return [(title, entries) for title, entries in sections if entries]


def navigation(request):
    """The switcher's rows (two queries, only when a page shows them) and the tenant nav."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    tenant = getattr(request, "tenant", None)
    tenant_access = getattr(request, "tenant_access", None)
    context = {
        "switcher_tenants": _once(lambda: actable_tenants(user)),
        "current_tenant": tenant,
        "current_access": tenant_access,
    }
    if tenant is not None and tenant_access is not None:
        context["nav_sections"] = _once(lambda: _nav_sections(request, tenant, tenant_access))
        if tenant_access.is_delegated:
            context["delegation"] = _once(lambda: _delegation(tenant_access))
        context["agreement_banner"] = _once(lambda: _agreement_banner(tenant, tenant_access))
    return context


def _delegation(tenant_access) -> dict:
    """Who the partner user works for here, and until when (for the banner)."""
    grants = [g for g in tenant_access.grants if g.source != "member"]
    partner = Tenant.objects.filter(pk=grants[0].partner_tenant_id).only("name").first()
    return {
        "partner_name": partner.name if partner else "",
        "end_at": min(g.end_at for g in grants if g.end_at),
    }


def _agreement_banner(tenant, tenant_access) -> bool:
    """Ask for the newest customer agreement where the tenant has partners but no acceptance."""
    return tenant_access.has(AGREEMENTS_ACCEPT) and needs_agreement(tenant)
