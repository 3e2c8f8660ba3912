"""Invitation pages: those the partner sent (list, new, resend, cancel) and those a
customer received."""

from django import forms as django_forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import RateLimited, ValidationError
from core.filters import filter_page, filter_values
from core.paging import Paginator
from core.scoping import get_in_tenant_or_404
from core.views import TenantView
from partners import selectors as partner_selectors
from relationships import selectors, services
from relationships.filters import InvitationFilter
from relationships.forms import invitations as forms
from relationships.models import Invitation
from relationships.tokens import approval_url
from relationships.views.common import PER_PAGE, type_rows
from roles import permissions as p

Status = Invitation.Status


def _no_store(response):
    """Pages showing a raw approval link: never cached (Liaison stores only its hash)."""
    response["Cache-Control"] = "no-store"
    return response


def _by_name(roles) -> list:
    return sorted(roles, key=lambda r: r.sort_key)


def _invitation_row(invitation, now) -> dict:
    rel = invitation.gdap_relationship
    return {
        "invitation": invitation,
        "status": invitation.status_at(now),
        "since": invitation.status_since(now),
        "types": type_rows(invitation.relationship_types),
        "roles": _by_name(rel.requested_roles.all()) if rel else [],
        "gdap": rel,
        "dialog_id": f"cancel-{invitation.pk}",
    }


def _sent_invitation_or_404(tenant, invitation_id) -> Invitation:
    return get_in_tenant_or_404(
        selectors.invitations_sent(tenant), tenant, tenant_field="partner", pk=invitation_id
    )


class PartnerInvitationsView(TenantView):
    """Invitations this partner sent: status, who sent it and when, its internal reference;
    resend and cancel one, or filter old pending ones by age and cancel many."""

    required = {"GET": p.PARTNERS_READ}
    template_name = "relationships/partner_invitations.html"

    def get(self, request, tid):
        now = timezone.now()
        filterset, qs = filter_page(
            InvitationFilter, request.GET, selectors.invitations_sent(self.tenant)
        )
        filter_form = filterset.form
        filter_form.fields["older_than"].widget = django_forms.Select(choices=forms.AGE_CHOICES)
        values = filter_values(filterset)
        page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
        rows = [_invitation_row(inv, now) for inv in page.object_list]
        can_manage = self.access.has(p.PARTNERS_MANAGE)
        context = self.get_context_data(
            filter_form=filter_form,
            status=values.get("status", "") or values.get("older_than", ""),
            page=page,
            rows=rows,
            can_manage=can_manage,
            can_bulk_cancel=can_manage and any(r["status"] == Status.PENDING for r in rows),
        )
        return TemplateResponse(request, self.template_name, context)


def _back_to_list(request, tenant) -> str:
    """The invitations list as it was filtered (`next`, a path of that page only)."""
    back = request.POST.get("next") or ""
    list_url = reverse("partner_invitations", args=[tenant.pk])
    return back if back.startswith(list_url) and "//" not in back else list_url


class PartnerInvitationBulkCancelView(TenantView):
    """Cancel the ticked invitations: each on its own (one audit event each); one message."""

    required = {"POST": p.PARTNERS_MANAGE}

    def post(self, request, tid):
        target = _back_to_list(request, self.tenant)
        form = forms.BulkCancelForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["invitations"][0])
            return redirect(target)
        outcomes = services.cancel_invitations(
            by=request.user, partner=self.tenant, invitation_ids=form.cleaned_data["invitations"]
        )
        done = sum(1 for o in outcomes if o.ok)
        refused = len(outcomes) - done
        text = ngettext(
            "%(n)d invitation cancelled; its link no longer works.",
            "%(n)d invitations cancelled; their links no longer work.",
            done,
        ) % {"n": done}
        if refused:
            text += " " + ngettext(
                "%(n)d could not be cancelled (no longer pending, or not found).",
                "%(n)d could not be cancelled (no longer pending, or not found).",
                refused,
            ) % {"n": refused}
        (messages.success if done else messages.error)(request, text)
        return redirect(target)


class PartnerInvitationReferenceView(TenantView):
    """GET: the no-JS form; POST: set the invitation's internal reference."""

    required = {"GET": p.PARTNERS_MANAGE, "POST": p.PARTNERS_MANAGE}

    def get(self, request, tid, iid):
        invitation = _sent_invitation_or_404(self.tenant, iid)
        form = forms.ReferenceForm(initial={"reference": invitation.reference})
        return self.render(invitation, form)

    def post(self, request, tid, iid):
        invitation = _sent_invitation_or_404(self.tenant, iid)
        form = forms.ReferenceForm(request.POST)
        if form.is_valid():
            try:
                services.set_invitation_reference(
                    by=request.user,
                    partner=self.tenant,
                    invitation_id=invitation.pk,
                    reference=form.cleaned_data["reference"],
                )
            except ValidationError as exc:
                forms.apply_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Internal reference saved for the invitation to %(email)s.")
                    % {"email": invitation.email},
                )
                return redirect(_back_to_list(request, self.tenant))
        return self.render(invitation, form, status=400)

    def render(self, invitation, form, status=200):
        context = self.get_context_data(invitation=invitation, form=form)
        return TemplateResponse(
            self.request, "relationships/invitation_reference.html", context, status=status
        )


class PartnerInvitationNewView(TenantView):
    """Invite a customer: types the profile offers, an optional GDAP request, a lead."""

    required = {"GET": p.PARTNERS_READ, "POST": p.PARTNERS_MANAGE}
    template_name = "relationships/invitation_new.html"

    def _form(self, data=None, initial=None):
        profile = partner_selectors.profile_of(self.tenant)
        customers = [row.customer for row in selectors.customers_of(self.tenant)]
        form = forms.InvitationForm(data, initial=initial, profile=profile, customers=customers)
        return profile, form

    def get(self, request, tid):
        initial = {}
        lead_id = request.GET.get("lead")
        lead = None
        if lead_id:
            lead = partner_selectors.get_lead_or_404(self.tenant, lead_id)  # foreign: 404
            initial = {"lead": lead.pk, "email": lead.email}
            if lead.customer_id:
                initial["customer"] = str(lead.customer_id)
        profile, form = self._form(initial=initial)
        return self.render(form, profile, lead=lead)

    def post(self, request, tid):
        profile, form = self._form(request.POST)
        lead = None
        if form.is_valid():
            if form.cleaned_data.get("lead"):
                lead = partner_selectors.get_lead_or_404(self.tenant, form.cleaned_data["lead"])
            try:
                invitation, raw = services.send_invitation(
                    by=request.user, partner=self.tenant, **form.service_kwargs()
                )
            except ValidationError as exc:
                forms.apply_domain_error(form, exc)
            else:
                return _sent_page(self, invitation, raw, resent=False)
        return self.render(form, profile, lead=lead, status=400)

    def render(self, form, profile, *, lead=None, status=200):
        context = self.get_context_data(
            form=form,
            profile=profile,
            lead=lead,
            can_manage=self.access.has(p.PARTNERS_MANAGE),
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)


def _sent_page(view, invitation, raw, *, resent: bool):
    """The approval link, shown this once (rendered, not redirected: it is never stored)."""
    context = view.get_context_data(
        invitation=invitation,
        approval_url=approval_url(raw),
        resent=resent,
    )
    response = TemplateResponse(view.request, "relationships/invitation_sent.html", context)
    return _no_store(response)


class PartnerInvitationResendView(TenantView):
    required = {"POST": p.PARTNERS_MANAGE}

    def post(self, request, tid, iid):
        try:
            invitation, raw = services.resend_invitation(
                by=request.user, partner=self.tenant, invitation_id=iid
            )
        except RateLimited as exc:
            messages.error(request, exc.detail)
            return redirect("partner_invitations", tid=self.tenant.pk)
        return _sent_page(self, invitation, raw, resent=True)


class PartnerInvitationCancelView(TenantView):
    """GET: the no-JS confirmation page; POST: cancel."""

    required = {"GET": p.PARTNERS_MANAGE, "POST": p.PARTNERS_MANAGE}

    def get(self, request, tid, iid):
        invitation = _sent_invitation_or_404(self.tenant, iid)
        context = self.get_context_data(invitation=invitation)
        return TemplateResponse(request, "relationships/invitation_cancel.html", context)

    def post(self, request, tid, iid):
        invitation = services.cancel_invitation(
            by=request.user, partner=self.tenant, invitation_id=iid
        )
        messages.success(
            request,
            _("The invitation to %(email)s is cancelled; its link no longer works.")
            % {"email": invitation.email},
        )
        return redirect("partner_invitations", tid=self.tenant.pk)


class InvitationsReceivedView(TenantView):
    """Invitations addressed to this tenant (or accepted in it)."""

    required = {"GET": p.PARTNERS_READ}
    template_name = "relationships/invitations_received.html"

    def get(self, request, tid):
        now = timezone.now()
        filterset, qs = filter_page(
            InvitationFilter, request.GET, selectors.invitations_received(self.tenant)
        )
        page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
        context = self.get_context_data(
            filter_form=filterset.form,
            status=filter_values(filterset).get("status", ""),
            page=page,
            rows=[_invitation_row(inv, now) for inv in page.object_list],
        )
        return TemplateResponse(request, self.template_name, context)
