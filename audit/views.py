"""A tenant's audit log, as people read it, and its CSV."""

from django.template.response import TemplateResponse
from django.utils import timezone

from audit.describe import CSV_HEADER, csv_rows, describe
from audit.filters import AuditEventFilter
from audit.permissions import AUDIT_READ
from audit.selectors import audit_events_for_tenant, filter_choices
from core.exports import csv_response
from core.filters import filter_page, filter_values
from core.views import TenantView, request_page

EVENTS_PER_PAGE = 50


def _filtered(view, request, **choices):
    filterset, events = filter_page(
        AuditEventFilter,
        request.GET,
        audit_events_for_tenant(tenant=view.tenant),
        tenant=view.tenant,
        **choices,
    )
    if filterset.is_bound and not filterset.is_valid():
        events = events.none()  # a filter we cannot read shows nothing, not everything
    return filterset, events


class AuditView(TenantView):
    """The tenant's activity, newest first: when, who, in which tenant, what, on what."""

    required = {"GET": AUDIT_READ}
    template_name = "audit/audit.html"

    def get(self, request, tid):
        filterset, events = _filtered(self, request, **filter_choices(self.tenant))
        page = request_page(request, events, EVENTS_PER_PAGE)
        context = self.get_context_data(
            form=filterset.form,
            page=page,
            entries=[describe(event) for event in page.object_list],
            filtered=bool(filter_values(filterset)),
            scope_label=filterset.scope_label,
            query=request.GET.urlencode(),
        )
        return TemplateResponse(request, self.template_name, context)


class AuditCsvView(TenantView):
    """The log with the page's filters as CSV (every page), sentences in the reader's language."""

    required = {"GET": AUDIT_READ}

    def get(self, request, tid):
        _filterset, events = _filtered(self, request)
        name = f"audit-{self.tenant.slug or self.tenant.pk}-{timezone.now():%Y%m%d}.csv"
        return csv_response(name, CSV_HEADER, csv_rows(events.iterator(chunk_size=1000)))
