"""A tenant's audit log."""

from django.template.response import TemplateResponse

from audit.filters import AuditEventFilter
from audit.permissions import AUDIT_READ
from audit.selectors import audit_events_for_tenant
from core.filters import filter_page, filter_values
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
        filterset, events = filter_page(
            AuditEventFilter,
            request.GET,
            audit_events_for_tenant(tenant=self.tenant),
            actions=list(actions),
        )
        form, values = filterset.form, filter_values(filterset)
        if filterset.is_bound and not filterset.is_valid():
            events = events.none()  # a filter we cannot read shows nothing, not everything
        page = request_page(request, events, EVENTS_PER_PAGE)
        context = self.get_context_data(form=form, page=page, filtered=bool(values))
        return TemplateResponse(request, self.template_name, context)
