"""The public directory: search and filters, a partner's page, and "Contact me"."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import InvalidState, RateLimited, ValidationError
from core.forms import apply_domain_error
from core.views import fragment_wanted, vary_on_htmx
from partners import directory_cache, forms, selectors, services
from partners.models import ListingFacet
from partners.search import DirectoryQuery

PER_PAGE = 20
LANDING = DirectoryQuery(sort="name")  # what /partners/ without parameters asks for


@require_http_methods(["GET", "HEAD"])
def directory(request):
    """Search, filters with facet counts, sort and pages; htmx swaps only the results."""
    error = None
    try:
        query = DirectoryQuery.from_params(request.GET)
    except ValidationError as exc:
        error, query = exc, DirectoryQuery()
    fragment = fragment_wanted(request)
    if query == LANDING and not error:
        return _landing(request, fragment)
    context = {**_results_context(query), "error": error}
    template = "partners/_results.html" if fragment else "partners/directory.html"
    # htmx does not swap 4xx responses; the fragment shows the error itself.
    status = 400 if error and not fragment else 200
    return vary_on_htmx(TemplateResponse(request, template, context, status=status))


def _landing(request, fragment: bool):
    """The landing page is the same for every visitor: its body (for htmx, its results)
    is rendered once per directory version and language; only the frame is per request.
    For an anonymous visitor with nothing to be told (no pending message, no query string)
    the frame is the same too: the whole page is stored, and only the visitor's CSRF token
    goes in per request."""
    template = "partners/_results.html" if fragment else "partners/_directory.html"
    html = directory_cache.per_version(
        f"landing:{get_language()}:{template}",
        lambda: render_to_string(template, _results_context(LANDING)),
    )
    if fragment:
        return vary_on_htmx(HttpResponse(html))
    context = {"query": LANDING, "body_html": mark_safe(html)}  # noqa: S308 - our own render
    if _same_for_every_visitor(request):
        page = directory_cache.per_version(
            f"landing-page:{get_language()}",
            lambda: render_to_string(
                "partners/directory.html", {**context, "csrf_token": CSRF_SLOT}, request=request
            ),
        )
        return vary_on_htmx(HttpResponse(page.replace(CSRF_SLOT, get_token(request))))
    return vary_on_htmx(TemplateResponse(request, "partners/directory.html", context))


# Stands for the visitor's CSRF token in the stored landing page (letters only: no escaping
# changes it, and no token contains it).
CSRF_SLOT = "liaisoncsrfslot"


def _same_for_every_visitor(request) -> bool:
    return (
        not request.user.is_authenticated
        and not request.META.get("QUERY_STRING")
        and not len(messages.get_messages(request))
    )


def _results_context(query: DirectoryQuery) -> dict:
    """The results fragment's context: the page, its facets, links to the next pages."""
    labels = selectors.curated_labels()
    page = selectors.search_listings(query, number=query.page, size=PER_PAGE, labels=labels)
    if not page.rows and page.count:  # past the last page: show the last one
        page = selectors.search_listings(query, number=page.num_pages, size=PER_PAGE, labels=labels)
    facets = selectors.directory_facets(query, labels)
    titles = dict(ListingFacet.Dimension.choices)

    def page_url(number):
        params = query.params(page=number)
        return reverse("directory") + ("?" + urlencode(params) if params else "")

    return {
        "query": query,
        "page": page,
        "listings": page.rows,
        "facet_groups": [(dim, titles[dim], values) for dim, values in facets.items()],
        "previous_url": page_url(page.number - 1) if page.has_previous else None,
        "next_url": page_url(page.number + 1) if page.has_next else None,
    }


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
            apply_domain_error(form, exc)
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
