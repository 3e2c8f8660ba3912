"""A tenant's audit log."""

from django.template.response import TemplateResponse

from audit import forms
from audit.permissions import AUDIT_READ
from audit.selectors import audit_events_for_tenant
from core.views import TenantView, request_page

EVENTS_PER_PAGE = 50


class AuditView(TenantView):
    """The tenant's audit log, newest first, filtered by action and dates."""

    required = {"GET": AUDIT_READ}
    template_name = "audit/audit.html"

    def get(self, request, tid):
        actions = (
            audit_events_for_tenant(tenant=self.tenant)
            .order_by("action")
            .values_list("action", flat=True)
            .distinct()
        )
        form = forms.AuditFilterForm(request.GET or None, actions=list(actions))
        since = until = None
        action = ""
        if form.is_bound and form.is_valid():
            action = form.cleaned_data["action"]
            since, until = form.bounds()
        events = audit_events_for_tenant(
            tenant=self.tenant, action=action, since=since, until=until
        )
        if form.is_bound and not form.is_valid():
            events = events.none()  # a filter we cannot read shows nothing, not everything
        page = request_page(request, events, EVENTS_PER_PAGE)
        context = self.get_context_data(
            form=form, page=page, filtered=bool(action or since or until)
        )
        return TemplateResponse(request, self.template_name, context)
