def navigation(request):
    """The tenant switcher's rows for signed-in pages (two queries, once per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from tenants.selectors import actable_tenants

    return {
        "switcher_tenants": lambda: actable_tenants(user),
        "current_tenant": getattr(request, "tenant", None),
        "current_access": getattr(request, "tenant_access", None),
    }
