"""HTML pages of industry apps: the customer's list with a details pane and the approve /
reject form; the industry partner's page per customer (its submissions, submit one)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import InvalidState, PermissionDenied, ValidationError
from core.filters import filter_page, filter_values
from core.views import TenantView, fragment_wanted, request_page, vary_on_htmx
from industry import forms, selectors, services
from industry.filters import IndustryAppFilter
from partners.relationship_types import INDUSTRY_PARTNER
from relationships.selectors import partner_customer_or_404
from roles.permissions import PARTNERS_MANAGE, PARTNERS_READ

APPS_PER_PAGE = 25


class IndustryAppsView(TenantView):
    """Apps submitted to this tenant; with `app_id`, the same page with its pane open."""

    required = {"GET": PARTNERS_READ}
    template_name = "industry/industry_apps.html"

    def get(self, request, tid, app_id=None):
        selected = selectors.get_app_or_404(self.tenant, app_id, self.access) if app_id else None
        pane = (
            {
                "app": selected,
                "decision_form": forms.DecisionForm(),
                "can_decide": bool(services.allowed_events(selected))
                and self.access.has(services.APPROVE_PERMISSION),
            }
            if selected
            else {}
        )
        if selected and fragment_wanted(request):
            return vary_on_htmx(
                TemplateResponse(request, "industry/_app_pane.html", self.get_context_data(**pane))
            )
        filterset, rows = filter_page(
            IndustryAppFilter,
            request.GET,
            selectors.visible_apps(self.tenant, self.access),
            partners=selectors.partners_with_apps(self.tenant, self.access),
        )
        values = filter_values(filterset)
        search, status = filterset.form, values.get("status", "") or values.get("partner", "")
        page = request_page(request, rows, APPS_PER_PAGE)
        context = self.get_context_data(
            search=search, status=status, page=page, selected=selected, **pane
        )
        return vary_on_htmx(TemplateResponse(request, self.template_name, context))


class _DecisionView(TenantView):
    required = {"POST": services.APPROVE_PERMISSION}
    service = None
    done_message = ""

    def post(self, request, tid, app_id):
        app = selectors.get_app_or_404(self.tenant, app_id, self.access)
        form = forms.DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("A note has at most 2,000 characters."))
            return redirect("industry_app", tid=self.tenant.pk, app_id=app.pk)
        try:
            self.service(
                by=request.user, tenant=self.tenant, app_id=app.pk, note=form.cleaned_data["note"]
            )
        except (InvalidState, ValidationError) as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, self.done_message % {"name": app.name})
        return redirect("industry_app", tid=self.tenant.pk, app_id=app.pk)


class IndustryAppApproveView(_DecisionView):
    service = staticmethod(services.approve_app)
    done_message = gettext_lazy("“%(name)s” approved; the partner is told.")


class IndustryAppRejectView(_DecisionView):
    service = staticmethod(services.reject_app)
    done_message = gettext_lazy("“%(name)s” rejected; the partner is told.")


class PartnerCustomerIndustryAppsView(TenantView):
    """The apps this partner submitted to one customer; submit one (POST)."""

    required = {"GET": PARTNERS_READ, "POST": PARTNERS_MANAGE}
    template_name = "industry/partner_customer_industry_apps.html"

    def get(self, request, tid, customer_id):
        customer = partner_customer_or_404(self.tenant, customer_id, INDUSTRY_PARTNER)
        return self.render(customer, forms.IndustryAppForm())

    def post(self, request, tid, customer_id):
        customer = partner_customer_or_404(self.tenant, customer_id, INDUSTRY_PARTNER)
        form = forms.IndustryAppForm(request.POST)
        if form.is_valid():
            try:
                app = services.submit_app(
                    by=request.user,
                    tenant=customer,
                    partner_tenant_id=self.tenant.pk,
                    **form.cleaned_data,
                )
            except (ValidationError, InvalidState, PermissionDenied) as exc:
                form.add_error(None, exc.detail)
                for name, errors in (exc.errors or {}).items():
                    for message in errors:
                        if name in form.fields:
                            form.add_error(name, str(message))
            else:
                messages.success(
                    request,
                    _("“%(name)s” submitted to %(customer)s for approval.")
                    % {"name": app.name, "customer": customer.name},
                )
                return redirect(
                    "partner_customer_industry_apps", tid=self.tenant.pk, customer_id=customer.pk
                )
        return self.render(customer, form, status=400)

    def render(self, customer, form, status=200):
        rows = selectors.apps_submitted_by(customer, self.tenant)
        page = request_page(self.request, rows, APPS_PER_PAGE)
        context = self.get_context_data(
            customer=customer, page=page, form=form, can_manage=self.access.has(PARTNERS_MANAGE)
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)
