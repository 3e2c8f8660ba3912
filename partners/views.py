"""HTML pages: the public directory and partner page with "Contact me", and the partner's
profile and leads inbox. Reads go through selectors, writes through services."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError, InvalidState, RateLimited, ValidationError
from core.views import TenantView, fragment_wanted, vary_on_htmx
from partners import forms, selectors, services
from partners.models import Lead, ListingFacet
from partners.search import DirectoryQuery, page_of
from roles.permissions import PARTNERS_MANAGE, PARTNERS_READ

PER_PAGE = 20
LEADS_PER_PAGE = 25


def _apply_error(form, exc: DomainError) -> None:
    form.add_error(None, exc.detail)
    for field, errors in (exc.errors or {}).items():
        if field in form.fields:
            for message in errors:
                form.add_error(field, str(message))


# Public directory ------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def directory(request):
    """Search, filters with facet counts, sort and pages; htmx swaps only the results."""
    error = None
    try:
        query = DirectoryQuery.from_params(request.GET)
    except ValidationError as exc:
        error, query = exc, DirectoryQuery()
    labels = selectors.curated_labels()
    results = selectors.search_listings(query)
    page = page_of(results, number=query.page, size=PER_PAGE)
    if not page.rows and page.count:  # past the last page: show the last one
        page = page_of(results, number=page.num_pages, size=PER_PAGE)
    facets = selectors.directory_facets(query, labels)
    titles = dict(ListingFacet.Dimension.choices)

    def page_url(number):
        params = query.params(page=number)
        return reverse("directory") + ("?" + urlencode(params) if params else "")

    context = {
        "query": query,
        "error": error,
        "page": page,
        "listings": selectors.listings_for(page.rows, labels),
        "facet_groups": [(dim, titles[dim], values) for dim, values in facets.items()],
        "previous_url": page_url(page.number - 1) if page.has_previous else None,
        "next_url": page_url(page.number + 1) if page.has_next else None,
    }
    fragment = fragment_wanted(request)
    template = "partners/_results.html" if fragment else "partners/directory.html"
    # htmx does not swap 4xx responses; the fragment shows the error itself.
    status = 400 if error and not fragment else 200
    return vary_on_htmx(TemplateResponse(request, template, context, status=status))


def _contact_context(request, listing, *, form=None, sent=None) -> dict:
    user = request.user
    context = {"listing": listing, "contact_form": form, "sent": sent}
    if not user.is_authenticated:
        return context
    tenants = selectors.contact_tenants(user, listing.partner_id)
    context["contact_tenants"] = tenants
    if tenants and form is None and sent is None:
        wanted = request.GET.get("tenant") or request.GET.get("tenant_id")
        chosen = next((t for t in tenants if str(t.pk) == wanted), tenants[0])
        context["contact_form"] = forms.ContactForm(
            initial=forms.ContactForm.initial_for(user, chosen),
            tenants=tenants,
            labels=selectors.curated_labels(),
        )
    return context


@require_http_methods(["GET", "HEAD"])
def directory_partner(request, partner_id):
    """A listed partner's page; signed-in members of a tenant get the "Contact me" form."""
    listing = selectors.get_listing_or_404(partner_id)
    context = _contact_context(request, listing)
    if fragment_wanted(request) and ("tenant" in request.GET or "tenant_id" in request.GET):
        return vary_on_htmx(TemplateResponse(request, "partners/_contact.html", context))
    return vary_on_htmx(TemplateResponse(request, "partners/partner.html", context))


@require_http_methods(["GET", "POST"])
def directory_contact(request, partner_id):
    """POST the "Contact me" form (GET leads back to the partner's page)."""
    detail_url = reverse("directory_partner", args=[partner_id])
    if not request.user.is_authenticated:
        return redirect_to_login(detail_url)
    listing = selectors.get_listing_or_404(partner_id)
    if request.method == "GET":
        return redirect(detail_url)
    tenants = selectors.contact_tenants(request.user, listing.partner_id)
    form = forms.ContactForm(request.POST, tenants=tenants, labels=selectors.curated_labels())
    status = 400
    if form.is_valid():
        try:
            lead = services.submit_lead(
                by=request.user, partner_id=listing.partner_id, data=form.cleaned_data
            )
        except (ValidationError, InvalidState, RateLimited) as exc:
            _apply_error(form, exc)
            status = exc.status_code
        else:
            if not fragment_wanted(request):
                messages.success(
                    request,
                    _("Your request was sent to %(partner)s. They will get in touch with you.")
                    % {"partner": listing.name},
                )
                return redirect(detail_url)
            context = _contact_context(request, listing, sent=lead)
            return TemplateResponse(request, "partners/_contact.html", context, status=201)
    context = _contact_context(request, listing, form=form)
    if fragment_wanted(request):
        # htmx does not swap 4xx responses; the fragment carries the errors.
        return TemplateResponse(request, "partners/_contact.html", context)
    return TemplateResponse(request, "partners/partner.html", context, status=status)


# Partner side ----------------------------------------------------------------------------


class PartnerProfilePageView(TenantView):
    """The tenant's directory listing: the form, a preview of the card, certification."""

    required = {"GET": PARTNERS_READ, "POST": PARTNERS_MANAGE}
    template_name = "partners/profile.html"

    def get(self, request, tid):
        profile = selectors.profile_of(self.tenant)
        labels = selectors.curated_labels()
        form = forms.PartnerProfileForm(
            initial=forms.PartnerProfileForm.initial_from(profile)
            or {"name": self.tenant.name, "headquarters_country": self.tenant.country.code},
            labels=labels,
        )
        return self.render(profile, form)

    def post(self, request, tid):
        labels = selectors.curated_labels()
        form = forms.PartnerProfileForm(request.POST, labels=labels)
        if form.is_valid():
            try:
                _profile, created = services.save_partner_profile(
                    by=request.user, tenant=self.tenant, data=form.cleaned_data
                )
            except ValidationError as exc:
                _apply_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is now a partner. Support staff will review the listing.")
                    % {"name": self.tenant.name}
                    if created
                    else _("Partner profile saved."),
                )
                return redirect("partner_profile", tid=self.tenant.pk)
        return self.render(selectors.profile_of(self.tenant), form, status=400)

    def render(self, profile, form, status=200):
        context = self.get_context_data(
            profile=profile,
            form=form,
            preview=selectors.preview_listing(profile) if profile else None,
            can_manage=self.access.has(PARTNERS_MANAGE),
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)


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
        search = forms.LeadFilterForm(request.GET)
        status, q = "", ""
        if search.is_valid():
            status, q = search.cleaned_data["status"], search.cleaned_data["q"].strip()
        leads = selectors.leads_for(self.tenant, status=status, q=q)
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
                for status in services.next_statuses(lead.status)
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
