"""Partner relationship pages. Partner side: its customers, ending some types. Customer
side: Settings > Partner relationships with the details pane (remove roles, ask to end),
and the customer agreement."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.describe import describe
from audit.permissions import AUDIT_READ
from core.errors import NotFound, ValidationError
from core.paging import Paginator
from core.views import TenantView, fragment_wanted, vary_on_htmx
from partners import relationship_types as types
from relationships import selectors, services
from relationships.forms import invitations as forms
from relationships.views.common import PER_PAGE, type_rows
from roles import permissions as p

HISTORY_LIMIT = 50


# Partner side ------------------------------------------------------------------------------


def _customer_row(relationship, now) -> dict:
    return {
        "relationship": relationship,
        "types": type_rows(relationship.types),
        "gdap": [
            {
                "rel": rel,
                "status": rel.status_at(now),
                "end": rel.real_end(now),
                "ended": rel.status_at(now) in rel.ENDED,
                "expiring": rel.is_expiring(now),
            }
            for rel in relationship.gdap_relationships
        ],
        "end_form": forms.EndTypesForm(
            codes=relationship.types, auto_id=f"end-{relationship.customer_id}-%s"
        ),
        "dialog_id": f"end-types-{relationship.customer_id}",
    }


class PartnerCustomersView(TenantView):
    """The partner's customers: types, agreement, since, GDAP; end some types."""

    required = {"GET": p.PARTNERS_READ}
    template_name = "relationships/partner_customers.html"

    def get(self, request, tid):
        now = timezone.now()
        page = Paginator(selectors.customer_rows(self.tenant), PER_PAGE).get_page(
            request.GET.get("page")
        )
        rows = selectors.with_customer_details(page.object_list)  # this page's rows only
        context = self.get_context_data(
            page=page,
            rows=[_customer_row(r, now) for r in rows],
            can_manage=self.access.has(p.PARTNERS_MANAGE),
            can_read_audit=self.access.has(AUDIT_READ),
        )
        return TemplateResponse(request, self.template_name, context)


class PartnerEndTypesView(TenantView):
    """GET: the no-JS form; POST: end the ticked types with this customer."""

    required = {"GET": p.PARTNERS_MANAGE, "POST": p.PARTNERS_MANAGE}
    template_name = "relationships/end_types.html"

    def _relationship(self, customer_id):
        row = selectors.customer_of(self.tenant, customer_id)
        if row is None:
            raise NotFound()
        return row

    def get(self, request, tid, customer_id):
        relationship = self._relationship(customer_id)
        return self.render(relationship, forms.EndTypesForm(codes=relationship.types))

    def post(self, request, tid, customer_id):
        relationship = self._relationship(customer_id)
        form = forms.EndTypesForm(request.POST, codes=relationship.types)
        if form.is_valid():
            try:
                services.end_relationship_types(
                    by=request.user,
                    partner=self.tenant,
                    customer_id=relationship.customer_id,
                    codes=form.cleaned_data["relationship_types"],
                )
            except ValidationError as exc:
                forms.apply_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Ended with %(customer)s: %(types)s. The customer has been told.")
                    % {
                        "customer": relationship.customer.name,
                        "types": ", ".join(
                            types.label(c) for c in form.cleaned_data["relationship_types"]
                        ),
                    },
                )
                return redirect("partner_customers", tid=self.tenant.pk)
        return self.render(relationship, form, status=400)

    def render(self, relationship, form, status=200):
        context = self.get_context_data(relationship=relationship, form=form)
        return TemplateResponse(self.request, self.template_name, context, status=status)


# Customer side: partner relationships ------------------------------------------------------


def _pane_context(view, relationship) -> dict:
    admin_roles = sorted(relationship.admin_roles, key=lambda r: (r["role"].name, r["source"]))
    can_manage = view.access.has(p.PARTNERS_MANAGE)
    return {
        "relationship": relationship,
        "partner": relationship.partner,
        "types": type_rows(relationship.types),
        "admin_roles": admin_roles,
        "gdap_rows": [
            {"rel": rel, "status": rel.status_at(timezone.now())}
            for rel in relationship.gdap_relationships
        ],
        "can_manage": can_manage,
        "can_remove_roles": can_manage and bool(admin_roles),
        "request_end_form": forms.RequestEndForm() if can_manage else None,
        "history": [describe(e) for e in selectors.history(relationship)[:HISTORY_LIMIT]],
        "can_read_audit": view.access.has(AUDIT_READ),
    }


class PartnerRelationshipsView(TenantView):
    """Settings > Partner relationships; with `partner_id`, that partner's pane open."""

    required = {"GET": p.PARTNERS_READ}
    template_name = "relationships/partner_relationships.html"

    def get(self, request, tid, partner_id=None):
        selected = (
            selectors.get_partner_relationship_or_404(self.tenant, partner_id)
            if partner_id
            else None
        )
        pane = _pane_context(self, selected) if selected else {}
        if selected and fragment_wanted(request):
            context = self.get_context_data(**pane)
            return vary_on_htmx(
                TemplateResponse(request, "relationships/_relationship_pane.html", context)
            )
        page = Paginator(selectors.partner_rows(self.tenant), PER_PAGE).get_page(
            request.GET.get("page")
        )
        context = self.get_context_data(
            page=page,
            rows=[
                {
                    "relationship": r,
                    "types": type_rows(r.types),
                    "admin_roles": sorted(r.admin_roles, key=lambda x: x["role"].name),
                }
                for r in selectors.with_partner_details(page.object_list, self.tenant)
            ],
            selected=selected,
            new_partner_id=request.GET.get("new", ""),
            **pane,
        )
        return vary_on_htmx(TemplateResponse(request, self.template_name, context))


class PartnerRemoveRolesView(TenantView):
    """GET: the no-JS confirmation page; POST: remove every admin role of the partner."""

    required = {"GET": p.PARTNERS_MANAGE, "POST": p.PARTNERS_MANAGE}

    def get(self, request, tid, partner_id):
        relationship = selectors.get_partner_relationship_or_404(self.tenant, partner_id)
        context = self.get_context_data(relationship=relationship, partner=relationship.partner)
        return TemplateResponse(request, "relationships/remove_roles.html", context)

    def post(self, request, tid, partner_id):
        relationship = selectors.get_partner_relationship_or_404(self.tenant, partner_id)
        services.remove_partner_roles(
            by=request.user, customer=self.tenant, partner_id=relationship.partner_id
        )
        messages.success(
            request,
            _(
                "%(partner)s no longer holds admin roles in your tenant. "
                "The partner relationship stays."
            )
            % {"partner": relationship.partner.name},
        )
        return redirect(
            "partner_relationship", tid=self.tenant.pk, partner_id=relationship.partner_id
        )


class PartnerRequestEndView(TenantView):
    """ "Ask to end": mails the partner and opens a request for support staff."""

    required = {"POST": p.PARTNERS_MANAGE}

    def post(self, request, tid, partner_id):
        relationship = selectors.get_partner_relationship_or_404(self.tenant, partner_id)
        form = forms.RequestEndForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The message is too long (at most 2,000 characters)."))
        else:
            services.request_end(
                by=request.user,
                customer=self.tenant,
                partner_id=relationship.partner_id,
                message=form.cleaned_data["message"],
            )
            messages.success(
                request,
                _("We asked %(partner)s to end the relationship, and told Liaison support.")
                % {"partner": relationship.partner.name},
            )
        return redirect(
            "partner_relationship", tid=self.tenant.pk, partner_id=relationship.partner_id
        )
