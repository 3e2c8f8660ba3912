"""HTML pages: invitations (both sides), customers, partner relationships, agreement.

Partner side (the partner's own tenant): sent invitations, the invitation form, customers.
Customer side: the invitation landing page (not under /t/<tid>/: the link comes by mail,
the tenant is chosen on the page), partner relationships with their details pane, the
customer agreement, invitations received. Reads go through partners.relationships and
the other selectors; every write goes through a service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import selectors as agreement_selectors
from agreements import services as agreement_services
from core.errors import InvalidState, NotFound, PermissionDenied, RateLimited, ValidationError
from core.notify import recipients_with_permission
from core.scoping import get_in_tenant_or_404
from core.views import TenantView, fragment_wanted, vary_on_htmx
from partners import invitations, relationships
from partners import relationship_forms as forms
from partners import relationship_types as types
from partners import selectors as partner_selectors
from partners.relationship_models import Invitation
from partners.relationships_api import preview
from roles import access
from roles import permissions as p
from roles import services as gdap_services
from tenants import selectors as tenant_selectors

PER_PAGE = 25
HISTORY_LIMIT = 50
Status = Invitation.Status


def _no_store(response):
    """Pages showing a raw approval link: never cached (Liaison stores only its hash)."""
    response["Cache-Control"] = "no-store"
    return response


def _by_name(roles) -> list:
    return sorted(roles, key=lambda r: r.name)


def _type_rows(codes) -> list[types.RelationshipType]:
    return [types.get(c) for c in codes if c in types.BY_CODE]


# Partner side ------------------------------------------------------------------------------


def _with_status(qs, status: str, now):
    """Filter by the status as read now: a pending invitation past its expiry is expired."""
    if status == Status.PENDING:
        return qs.filter(status=Status.PENDING, expires_at__gt=now)
    if status == Status.EXPIRED:
        return qs.filter(Q(status=Status.EXPIRED) | Q(status=Status.PENDING, expires_at__lte=now))
    return qs.filter(status=status)


def _invitation_row(invitation, now) -> dict:
    rel = invitation.gdap_relationship
    return {
        "invitation": invitation,
        "status": invitation.status_at(now),
        "types": _type_rows(invitation.relationship_types),
        "roles": _by_name(rel.requested_roles.all()) if rel else [],
        "gdap": rel,
        "dialog_id": f"cancel-{invitation.pk}",
    }


def _sent_invitation_or_404(tenant, invitation_id) -> Invitation:
    return get_in_tenant_or_404(
        relationships.invitations_sent(tenant), tenant, tenant_field="partner", pk=invitation_id
    )


class PartnerInvitationsView(TenantView):
    """Invitations this partner sent: status, expiry, resend and cancel."""

    required = {"GET": p.PARTNERS_READ}
    template_name = "relationships/partner_invitations.html"

    def get(self, request, tid):
        now = timezone.now()
        filter_form = forms.InvitationStatusFilterForm(request.GET or None)
        status = ""
        if filter_form.is_bound and filter_form.is_valid():
            status = filter_form.cleaned_data["status"]
        qs = relationships.invitations_sent(self.tenant)
        if status:
            qs = _with_status(qs, status, now)
        page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
        context = self.get_context_data(
            filter_form=filter_form,
            status=status,
            page=page,
            rows=[_invitation_row(inv, now) for inv in page.object_list],
            can_manage=self.access.has(p.PARTNERS_MANAGE),
        )
        return TemplateResponse(request, self.template_name, context)


class PartnerInvitationNewView(TenantView):
    """Invite a customer: types the profile offers, an optional GDAP request, a lead."""

    required = {"GET": p.PARTNERS_READ, "POST": p.PARTNERS_MANAGE}
    template_name = "relationships/invitation_new.html"

    def _form(self, data=None, initial=None):
        profile = partner_selectors.profile_of(self.tenant)
        customers = [row.customer for row in relationships.customers_of(self.tenant)]
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
                invitation, raw = invitations.send_invitation(
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
        approval_url=invitations.approval_url(raw),
        resent=resent,
    )
    response = TemplateResponse(view.request, "relationships/invitation_sent.html", context)
    return _no_store(response)


class PartnerInvitationResendView(TenantView):
    required = {"POST": p.PARTNERS_MANAGE}

    def post(self, request, tid, iid):
        try:
            invitation, raw = invitations.resend_invitation(
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
        invitation = invitations.cancel_invitation(
            by=request.user, partner=self.tenant, invitation_id=iid
        )
        messages.success(
            request,
            _("The invitation to %(email)s is cancelled; its link no longer works.")
            % {"email": invitation.email},
        )
        return redirect("partner_invitations", tid=self.tenant.pk)


def _customer_row(relationship, now) -> dict:
    return {
        "relationship": relationship,
        "types": _type_rows(relationship.types),
        "gdap": [
            {
                "rel": rel,
                "status": rel.status_at(now),
                "end": rel.effective_end(now),
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
        page = Paginator(relationships.customers_of(self.tenant), PER_PAGE).get_page(
            request.GET.get("page")
        )
        context = self.get_context_data(
            page=page,
            rows=[_customer_row(r, now) for r in page.object_list],
            can_manage=self.access.has(p.PARTNERS_MANAGE),
        )
        return TemplateResponse(request, self.template_name, context)


class PartnerEndTypesView(TenantView):
    """GET: the no-JS form; POST: end the ticked types with this customer."""

    required = {"GET": p.PARTNERS_MANAGE, "POST": p.PARTNERS_MANAGE}
    template_name = "relationships/end_types.html"

    def _relationship(self, customer_id):
        for row in relationships.customers_of(self.tenant):
            if str(row.customer_id) == str(customer_id):
                return row
        raise NotFound()

    def get(self, request, tid, customer_id):
        relationship = self._relationship(customer_id)
        return self.render(relationship, forms.EndTypesForm(codes=relationship.types))

    def post(self, request, tid, customer_id):
        relationship = self._relationship(customer_id)
        form = forms.EndTypesForm(request.POST, codes=relationship.types)
        if form.is_valid():
            try:
                relationships.end_relationship_types(
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


# Customer side: the invitation landing page ------------------------------------------------


def _landing(request, template, context, status=200):
    return TemplateResponse(request, f"relationships/{template}", context, status=status)


def _tenant_choices(user, invitation) -> list:
    """The tenants the user may pick: the named one only, else their member tenants."""
    tenants = [
        m.tenant
        for m in tenant_selectors.memberships_for_user(user)
        if m.tenant_id != invitation.partner_id
    ]
    if invitation.customer_id:
        tenants = [t for t in tenants if t.pk == invitation.customer_id]
    return tenants


def _who_can_accept(tenant) -> list:
    """Name and email of the members who may accept (partners.manage: Global or Billing)."""
    emails = [email for email, _language in recipients_with_permission(tenant, p.PARTNERS_MANAGE)]
    members = tenant_selectors.members_of(tenant).filter(user__email__in=emails)
    return [{"name": m.user.name, "email": m.user.email} for m in members]


@login_required
def invitation_landing(request, token):
    """Accept agreement & authorize partner. GET shows; only a POST accepts or declines."""
    try:
        invitation = invitations.get_by_token(token)
    except NotFound as exc:
        return _landing(request, "invitation_invalid.html", {"detail": exc.detail}, status=404)
    base = {"invitation": invitation, "token": token, "partner": invitation.partner}
    status = invitation.status_at(timezone.now())
    if status != Status.PENDING:
        return _closed(request, base, status)
    choices = _tenant_choices(request.user, invitation)
    wanted = request.POST.get("tenant") if request.method == "POST" else request.GET.get("tenant")
    tenant = next((t for t in choices if str(t.pk) == (wanted or "")), None)
    if tenant is None and len(choices) == 1 and not wanted:
        tenant = choices[0]
    if tenant is None:
        if wanted and request.method == "POST":
            tenant = _member_tenant(request.user, wanted)  # the service says why not here
        if tenant is None:
            return _choose_tenant(request, base, choices, wanted)
    base["tenant"] = tenant
    # Only the tenant's own administrators authorise a partner; delegated roles don't count.
    if not access.resolve(request.user, tenant).has_own(p.PARTNERS_MANAGE):
        return _cannot_accept(request, base)
    if request.method == "POST":
        if request.POST.get("action") == "decline":
            return _decline(request, base)
        return _accept(request, base)
    if request.GET.get("decline"):
        return _landing(request, "invitation_decline.html", base)
    return _accept_page(request, base, _accept_form(invitation, tenant))


def _member_tenant(user, tenant_id):
    for membership in tenant_selectors.memberships_for_user(user):
        if str(membership.tenant_id) == str(tenant_id):
            return membership.tenant
    return None


def _closed(request, base, status):
    context = {**base, "status": status}
    if status == Status.ACCEPTED and base["invitation"].accepted_tenant_id:
        accepted = base["invitation"].accepted_tenant
        if access.has_permission(request.user, accepted, p.PARTNERS_READ):
            context["accepted_tenant"] = accepted
    return _landing(request, "invitation_closed.html", context, status=409)


def _choose_tenant(request, base, choices, wanted):
    invitation = base["invitation"]
    context = {**base, "choices": choices, "wanted": wanted}
    if invitation.customer_id and not choices:
        context["named_elsewhere"] = True
    status = 400 if wanted else 200
    return _landing(request, "invitation_choose.html", context, status=status)


def _cannot_accept(request, base):
    context = {**base, "admins": _who_can_accept(base["tenant"])}
    return _landing(request, "invitation_cannot_accept.html", context, status=403)


def _accept_form(invitation, tenant, data=None):
    info = preview(invitation)
    version = agreement_selectors.current_version()
    attestation = agreement_services.attestation_text(version) if version else ""
    initial = {
        "tenant": tenant.pk,
        "action": "accept",
        "roles": [r["role_definition_id"] for r in info["requested_roles"]],
    }
    form = forms.AcceptForm(
        data,
        initial=initial,
        requested_roles=info["requested_roles"],
        attestation=attestation,
    )
    form.preview = info
    form.version = version
    return form


def _accept_page(request, base, form, status=200):
    tenant = base["tenant"]
    info = form.preview
    context = {
        **base,
        "form": form,
        "preview": info,
        "types": _type_rows(base["invitation"].relationship_types),
        "version": form.version,
        "agreement_accepted": agreement_selectors.has_accepted(tenant),
        "agreement_url": _agreement_url(form.version),
        "auto_extends": bool(info["auto_extend_duration"]),
    }
    return _landing(request, "invitation_accept.html", context, status=status)


def _accept(request, base):
    tenant = base["tenant"]
    form = _accept_form(base["invitation"], tenant, request.POST)
    if form.is_valid():
        try:
            relationship = invitations.accept_invitation(
                by=request.user,
                token=base["token"],
                tenant=tenant,
                accept_agreement=form.cleaned_data["accept_agreement"],
                approved_role_ids=form.cleaned_data["roles"] or None,
            )
        except (ValidationError, PermissionDenied, InvalidState) as exc:
            closed = _closed_now(request, base, exc)
            if closed is not None:
                return closed
            forms.apply_domain_error(form, exc)
            return _accept_page(request, base, form, status=exc.status_code)
        messages.success(
            request,
            _("%(partner)s is now your partner.") % {"partner": relationship.partner.name},
        )
        url = reverse("partner_relationships", args=[tenant.pk])
        return redirect(f"{url}?new={relationship.partner_id}")
    return _accept_page(request, base, form, status=400)


def _closed_now(request, base, exc):
    """After a refused POST: the closed page when someone else answered it meanwhile."""
    if not isinstance(exc, InvalidState):
        return None
    status = invitations.get_by_token(base["token"]).status_at(timezone.now())
    return None if status == Status.PENDING else _closed(request, base, status)


def _decline(request, base):
    tenant = base["tenant"]
    try:
        invitation = invitations.decline_invitation(
            by=request.user, token=base["token"], tenant=tenant
        )
    except (ValidationError, PermissionDenied, InvalidState) as exc:
        closed = _closed_now(request, base, exc)
        if closed is not None:
            return closed
        form = _accept_form(base["invitation"], tenant)
        form.add_error(None, exc.detail)
        return _accept_page(request, base, form, status=exc.status_code)
    messages.success(
        request,
        _("You declined the invitation from %(partner)s. They have been told.")
        % {"partner": invitation.partner.name},
    )
    return redirect("tenant_invitations_received", tid=tenant.pk)


# Customer side: partner relationships ------------------------------------------------------


def _pane_context(view, relationship) -> dict:
    admin_roles = sorted(relationship.admin_roles, key=lambda r: (r["role"].name, r["source"]))
    can_manage = view.access.has(p.PARTNERS_MANAGE)
    return {
        "relationship": relationship,
        "partner": relationship.partner,
        "types": _type_rows(relationship.types),
        "admin_roles": admin_roles,
        "gdap_rows": [
            {"rel": rel, "status": rel.status_at(timezone.now())}
            for rel in relationship.gdap_relationships
        ],
        "can_manage": can_manage,
        "can_remove_roles": can_manage and bool(admin_roles),
        "request_end_form": forms.RequestEndForm() if can_manage else None,
        "history": list(relationships.history(relationship)[:HISTORY_LIMIT]),
    }


class PartnerRelationshipsView(TenantView):
    """Settings > Partner relationships; with `partner_id`, that partner's pane open."""

    required = {"GET": p.PARTNERS_READ}
    template_name = "relationships/partner_relationships.html"

    def get(self, request, tid, partner_id=None):
        selected = (
            relationships.get_partner_relationship_or_404(self.tenant, partner_id)
            if partner_id
            else None
        )
        pane = _pane_context(self, selected) if selected else {}
        if selected and fragment_wanted(request):
            context = self.get_context_data(**pane)
            return vary_on_htmx(
                TemplateResponse(request, "relationships/_relationship_pane.html", context)
            )
        rows = relationships.partners_of(self.tenant)
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
        context = self.get_context_data(
            page=page,
            rows=[
                {
                    "relationship": r,
                    "types": _type_rows(r.types),
                    "admin_roles": sorted(r.admin_roles, key=lambda x: x["role"].name),
                }
                for r in page.object_list
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
        relationship = relationships.get_partner_relationship_or_404(self.tenant, partner_id)
        context = self.get_context_data(relationship=relationship, partner=relationship.partner)
        return TemplateResponse(request, "relationships/remove_roles.html", context)

    def post(self, request, tid, partner_id):
        relationship = relationships.get_partner_relationship_or_404(self.tenant, partner_id)
        gdap_services.remove_partner_roles(
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
        relationship = relationships.get_partner_relationship_or_404(self.tenant, partner_id)
        form = forms.RequestEndForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The message is too long (at most 2,000 characters)."))
        else:
            relationships.request_end(
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


class CustomerAgreementView(TenantView):
    """The newest customer agreement: its acceptance, or the checkbox and "Accept"."""

    required = {"GET": p.PARTNERS_READ, "POST": p.AGREEMENTS_ACCEPT}
    template_name = "relationships/agreement.html"

    def get(self, request, tid):
        version = agreement_selectors.current_version()
        return self.render(version, self._form(version))

    def post(self, request, tid):
        version = agreement_selectors.current_version()
        form = self._form(version, request.POST)
        if form.is_valid():
            try:
                agreement_services.accept_agreement(
                    by=request.user,
                    tenant=self.tenant,
                    version=form.cleaned_data["version"],
                    attest=form.cleaned_data["attest"],
                )
            except ValidationError as exc:
                forms.apply_domain_error(form, exc)
            else:
                messages.success(request, _("Thank you: the customer agreement is accepted."))
                return redirect("customer_agreement", tid=self.tenant.pk)
        return self.render(version, form, status=400)

    def _form(self, version, data=None):
        if version is None:
            return None
        return forms.AgreementForm(
            data,
            initial={"version": version.version},
            attestation=agreement_services.attestation_text(version),
        )

    def render(self, version, form, status=200):
        acceptance = agreement_selectors.acceptance_of(self.tenant, version)
        context = self.get_context_data(
            version=version,
            acceptance=acceptance,
            form=form,
            can_accept=self.access.has(p.AGREEMENTS_ACCEPT),
            agreement_url=_agreement_url(version),
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)


def _agreement_url(version) -> str:
    if version is None:
        return ""
    return version.url or reverse("agreement_text", args=[version.version])


class InvitationsReceivedView(TenantView):
    """Invitations addressed to this tenant (or accepted in it)."""

    required = {"GET": p.PARTNERS_READ}
    template_name = "relationships/invitations_received.html"

    def get(self, request, tid):
        now = timezone.now()
        page = Paginator(relationships.invitations_received(self.tenant), PER_PAGE).get_page(
            request.GET.get("page")
        )
        context = self.get_context_data(
            page=page, rows=[_invitation_row(inv, now) for inv in page.object_list]
        )
        return TemplateResponse(request, self.template_name, context)
