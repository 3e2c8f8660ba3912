"""HTML pages: the support requests list with a details pane, a new-request form, and the
comment / close / reopen actions. Reads go through selectors, writes through services."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import InvalidState, ValidationError
from core.filters import filter_page, filter_values
from core.forms import apply_domain_error
from core.paging import Paginator
from core.views import TenantView, fragment_wanted, vary_on_htmx
from roles.permissions import SUPPORT_MANAGE
from support import forms, selectors, services
from support.filters import SupportRequestFilter

REQUESTS_PER_PAGE = 25


class SupportRequestsView(TenantView):
    """The support requests list; with `rid`, the same page with that request's pane open."""

    required = {"GET": SUPPORT_MANAGE}
    template_name = "support/requests.html"

    def get(self, request, tid, rid=None):
        return _requests_page(self, rid)


def _requests_page(view, rid, comment_form=None, status=200):
    """The list page (or, for htmx, its list or pane fragment) with `rid`'s pane open."""
    request = view.request
    selected = selectors.get_request_or_404(view.tenant, rid) if rid else None
    pane = pane_context(selected, comment_form) if selected else {}
    if selected and fragment_wanted(request) and request.htmx.target == "pane":
        return vary_on_htmx(
            TemplateResponse(
                request, "support/_request_pane.html", view.get_context_data(**pane), status=status
            )
        )
    filterset, rows = filter_page(
        SupportRequestFilter, request.GET, selectors.requests_for(view.tenant)
    )
    search, values = filterset.form, filter_values(filterset)
    status_filter, q = values.get("status", ""), " ".join(values.get("q", "").split())
    page = Paginator(rows, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    context = view.get_context_data(
        search=search, status=status_filter, q=q, page=page, selected=selected, **pane
    )
    fragment = fragment_wanted(request) and status == 200
    template = "support/_request_list.html" if fragment else SupportRequestsView.template_name
    return vary_on_htmx(TemplateResponse(request, template, context, status=status))


def pane_context(support_request, comment_form=None) -> dict:
    return {
        "support_request": support_request,
        "comments": list(support_request.comments.all()),
        "comment_form": comment_form or forms.SupportCommentForm(),
        "can_close": "close" in services.allowed_events(support_request),
        "can_reopen": "reopen" in services.allowed_events(support_request),
    }


class SupportRequestNewView(TenantView):
    required = {"GET": SUPPORT_MANAGE, "POST": SUPPORT_MANAGE}
    template_name = "support/request_new.html"

    def get(self, request, tid):
        return self.render(forms.SupportRequestForm())

    def post(self, request, tid):
        form = forms.SupportRequestForm(request.POST)
        if form.is_valid():
            try:
                created = services.create_request(
                    by=request.user,
                    tenant=self.tenant,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    severity=form.cleaned_data["severity"],
                )
            except ValidationError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(
                    request, _("Support request “%(title)s” opened.") % {"title": created.title}
                )
                return redirect("support_request", tid=self.tenant.pk, rid=created.pk)
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = self.get_context_data(form=form)
        return TemplateResponse(self.request, self.template_name, context, status=status)


class SupportCommentView(TenantView):
    """POST a comment; a bad one re-renders the request with the form's errors."""

    required = {"POST": SUPPORT_MANAGE}

    def post(self, request, tid, rid):
        support_request = selectors.get_request_or_404(self.tenant, rid)
        form = forms.SupportCommentForm(request.POST)
        if form.is_valid():
            try:
                services.add_comment(
                    by=request.user,
                    tenant=self.tenant,
                    request_id=support_request.pk,
                    body=form.cleaned_data["body"],
                )
            except ValidationError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Comment added."))
                return redirect("support_request", tid=self.tenant.pk, rid=support_request.pk)
        # Re-render the request's page with the errors next to the field.
        return _requests_page(self, support_request.pk, comment_form=form, status=400)


class _MoveView(TenantView):
    """POST close or reopen; a move the status does not allow reads as a message (409)."""

    required = {"POST": SUPPORT_MANAGE}
    service = None
    done_message = ""

    def post(self, request, tid, rid):
        support_request = selectors.get_request_or_404(self.tenant, rid)
        try:
            self.service(by=request.user, tenant=self.tenant, request_id=support_request.pk)
        except InvalidState as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, self.done_message % {"title": support_request.title})
        return redirect("support_request", tid=self.tenant.pk, rid=support_request.pk)


class SupportCloseView(_MoveView):
    service = staticmethod(services.close_request)
    done_message = gettext_lazy("Support request “%(title)s” closed.")


class SupportReopenView(_MoveView):
    service = staticmethod(services.reopen_request)
    done_message = gettext_lazy("Support request “%(title)s” reopened.")
