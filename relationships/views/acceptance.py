"""The invitation landing page, where a customer accepts & authorises the partner, or
declines. Not under /t/<tid>/: the link comes by mail, the tenant is chosen on the page.

The same page answers at an address built from a GDAP relationship's id, as Microsoft's
admin center does (.../granularAdminRelationships/{id}), so that a Graph client can hand
it to the customer without another call. That address carries no secret: it opens only
for the customer's own administrators (of any tenant, when the relationship names no
customer), and is a 404 for everyone else.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import selectors as agreement_selectors
from agreements import services as agreement_services
from core.errors import InvalidState, NotFound, PermissionDenied, ValidationError
from relationships import services
from relationships.api.acceptance import preview
from relationships.forms import invitations as forms
from relationships.models import Invitation
from relationships.selectors import get_invitation_by_token, get_invitation_for_relationship
from relationships.views.common import type_rows
from roles import access
from roles import permissions as p
from tenants import selectors as tenant_selectors

Status = Invitation.Status


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
    emails = [email for email, _language in access.holders(tenant, p.PARTNERS_MANAGE)]
    members = tenant_selectors.members_of(tenant).filter(user__email__in=emails)
    return [{"name": m.user.name, "email": m.user.email} for m in members]


@login_required
def invitation_landing(request, token):
    """Accept agreement & authorize partner. GET shows; only a POST accepts or declines."""
    try:
        invitation = get_invitation_by_token(token)
    except NotFound as exc:
        return _landing(request, "invitation_invalid.html", {"detail": exc.detail}, status=404)
    base = {
        "invitation": invitation,
        "partner": invitation.partner,
        "ref": {"token": token},
        "landing_url": reverse("invitation_landing", args=[token]),
    }
    return _flow(request, base, _tenant_choices(request.user, invitation))


@login_required
def relationship_approval(request, rid):
    """The approval page by relationship id: the customer's own administrators only."""
    try:
        invitation = get_invitation_for_relationship(rid)
    except NotFound:
        raise Http404() from None
    choices = [
        tenant
        for tenant in _tenant_choices(request.user, invitation)
        if access.resolve(request.user, tenant).has_own(p.PARTNERS_MANAGE)
    ]
    if not choices:
        raise Http404()
    base = {
        "invitation": invitation,
        "partner": invitation.partner,
        "ref": {"relationship_id": invitation.gdap_relationship_id},
        "landing_url": reverse("gdap_relationship_approval", args=[rid]),
    }
    return _flow(request, base, choices, own_tenants_only=True)


def _flow(request, base, choices, *, own_tenants_only: bool = False):
    invitation = base["invitation"]
    status = invitation.status_at(timezone.now())
    if status != Status.PENDING:
        return _closed(request, base, status)
    wanted = request.POST.get("tenant") if request.method == "POST" else request.GET.get("tenant")
    tenant = next((t for t in choices if str(t.pk) == (wanted or "")), None)
    if tenant is None and len(choices) == 1 and not wanted:
        tenant = choices[0]
    if tenant is None:
        if wanted and request.method == "POST" and not own_tenants_only:
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
        "types": type_rows(base["invitation"].relationship_types),
        "version": form.version,
        "agreement_accepted": agreement_selectors.has_accepted(tenant),
        "agreement_url": agreement_selectors.reading_url(form.version),
        "auto_extends": bool(info["auto_extend_duration"]),
    }
    return _landing(request, "invitation_accept.html", context, status=status)


def _accept(request, base):
    tenant = base["tenant"]
    form = _accept_form(base["invitation"], tenant, request.POST)
    if form.is_valid():
        try:
            relationship = services.accept_invitation(
                by=request.user,
                **base["ref"],
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
        messages.success(request, _accepted_message(request, base, form, relationship))
        url = reverse("partner_relationship", args=[tenant.pk, relationship.partner_id])
        return redirect(f"{url}?new={relationship.partner_id}")
    return _accept_page(request, base, form, status=400)


def _accepted_message(request, base, form, relationship) -> str:
    """What just happened, in one message: the partner, its types, the agreement, the mail."""
    names = ", ".join(str(t.label) for t in type_rows(base["invitation"].relationship_types))
    text = _("%(partner)s is now your partner: %(types)s.") % {
        "partner": relationship.partner.name,
        "types": names,
    }
    version = form.version
    if version is not None:
        text += " " + _(
            "The customer agreement (version %(version)s) is accepted for %(tenant)s."
        ) % {"version": version.version, "tenant": base["tenant"].name}
    text += " " + _("A confirmation was mailed to %(email)s and your other administrators.") % {
        "email": request.user.email
    }
    return text


def _closed_now(request, base, exc):
    """After a refused POST: the closed page when someone else answered it meanwhile."""
    if not isinstance(exc, InvalidState):
        return None
    invitation = base["invitation"]
    invitation.refresh_from_db(fields=["status", "expires_at"])
    status = invitation.status_at(timezone.now())
    return None if status == Status.PENDING else _closed(request, base, status)


def _decline(request, base):
    tenant = base["tenant"]
    try:
        invitation = services.decline_invitation(by=request.user, tenant=tenant, **base["ref"])
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
