"""The partner's leads inbox: the list, a lead's pane, moving a lead along."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from core.errors import InvalidState, ValidationError
from core.filters import filter_page, filter_values
from core.paging import Paginator
from core.views import TenantView, fragment_wanted, vary_on_htmx
from partners import selectors, services
from partners.filters import LeadFilter
from partners.models import Lead
from roles.permissions import PARTNERS_MANAGE, PARTNERS_READ

LEADS_PER_PAGE = 25


def _invite_url(tenant, lead) -> str | None:
    """The invitation form prefilled from the lead, once that page exists (a later issue)."""
    try:
        return reverse("partner_invitation_new", args=[tenant.pk]) + f"?lead={lead.pk}"
    except NoReverseMatch:
        return None


class LeadsPageView(TenantView):
    """The leads inbox; with `lead_id`, the same page with that lead's pane open."""

    required = {"GET": PARTNERS_READ}
    template_name = "partners/leads.html"

    def get(self, request, tid, lead_id=None):
        selected = selectors.get_lead_or_404(self.tenant, lead_id) if lead_id else None
        pane = self.pane_context(selected) if selected else {}
        if selected and fragment_wanted(request) and request.htmx.target == "pane":
            return vary_on_htmx(
                TemplateResponse(request, "partners/_lead_pane.html", self.get_context_data(**pane))
            )
        filterset, leads = filter_page(LeadFilter, request.GET, selectors.leads_for(self.tenant))
        search, values = filterset.form, filter_values(filterset)
        status, q = values.get("status", ""), " ".join(values.get("q", "").split())
        page = Paginator(leads, LEADS_PER_PAGE).get_page(request.GET.get("page"))
        context = self.get_context_data(
            search=search, status=status, q=q, page=page, selected=selected, **pane
        )
        template = "partners/_lead_list.html" if fragment_wanted(request) else self.template_name
        return vary_on_htmx(TemplateResponse(request, template, context))

    def pane_context(self, lead) -> dict:
        return {
            "lead": lead,
            "next_statuses": [
                (status, Lead.Status(status).label)
                for status in selectors.next_statuses(lead.status)
            ],
            "invite_url": _invite_url(self.tenant, lead),
            "can_manage": self.access.has(PARTNERS_MANAGE),
        }


class LeadStatusView(TenantView):
    required = {"POST": PARTNERS_MANAGE}

    def post(self, request, tid, lead_id):
        lead = selectors.get_lead_or_404(self.tenant, lead_id)
        try:
            lead = services.change_lead_status(
                by=request.user,
                tenant=self.tenant,
                lead_id=lead.pk,
                status=request.POST.get("status", ""),
            )
        except (ValidationError, InvalidState) as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(
                request,
                _("The lead from %(org)s is now %(status)s.")
                % {"org": lead.org_name, "status": Lead.Status(lead.status).label.lower()},
            )
        return redirect("partner_lead", tid=self.tenant.pk, lead_id=lead.pk)
