"""The portal's own pages: the landing page and a tenant's home (who you are there)."""

from django.shortcuts import redirect
from django.template.response import TemplateResponse

from core.views import TenantView
from people.selectors import pending_invitations_for
from portal.navigation import items_for
from relationships.selectors import ending_soon
from roles import catalog
from roles import permissions as p
from tenants import selectors


def home(request):
    """Signed out: the landing page. Signed in: the first tenant, or creating one; support
    staff in no tenant land in the support console (Django admin)."""
    if not request.user.is_authenticated:
        return TemplateResponse(request, "landing.html")
    first = selectors.memberships_for_user(request.user).first()
    if first is None:
        if request.user.is_staff:
            return redirect("admin:index")
        if pending_invitations_for(request.user).exists():
            return redirect("membership_invitations")
        return redirect("tenant_create")
    return redirect("tenant_home", tid=first.tenant_id)


class TenantHomeView(TenantView):
    """Who you are here: roles, what they let you do, where to go."""

    required = {"GET": None}

    def get(self, request, tid):
        labels = p.PERMISSIONS
        links = [
            {"label": item.label, "url": item.url(self.tenant)}
            for _title, items in items_for(self.tenant, self.access)
            for item in items
            if item.url_name != "tenant_home"
        ]
        by_id = catalog.roles_by_id()
        delegated = [g for g in self.access.grants if g.source != "member"]
        context = self.get_context_data(
            roles=self.access.roles(),
            permission_labels=[labels[perm] for perm in labels if perm in self.access.permissions],
            links=links,
            delegated=[(g, by_id.get(g.role_id)) for g in delegated],
            ending_soon=ending_soon(self.tenant) if self.access.has(p.PARTNERS_READ) else None,
            ending_window_days=60,
        )
        return TemplateResponse(request, "portal/home.html", context)
