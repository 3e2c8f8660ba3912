"""GDAP pages under /t/<tid>/gdap/: relationships list (with a details pane), create,
edit, send for approval, terminate, and access assignments.

The partner manages its relationships; the customer may read those it is the customer of
(the selectors scope by either side) but sees no actions. Reads go through
roles.selectors, writes through roles.services.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.permissions import AUDIT_READ
from core.errors import InvalidState, NotFound, PermissionDenied, ValidationError
from core.filters import filter_page, filter_values
from core.paging import Paginator, page_keys
from core.views import TenantView, fragment_wanted, vary_on_htmx
from relationships import selectors, services
from relationships.filters import RelationshipFilter
from relationships.forms import gdap as forms
from relationships.forms.invitations import ReferenceForm
from relationships.models import DelegatedAdminRelationship
from roles import permissions as p
from tenants import selectors as tenant_selectors

Status = DelegatedAdminRelationship.Status
RELATIONSHIPS_PER_PAGE = 25


def _by_name(roles) -> list:
    return sorted(roles, key=lambda r: r.sort_key)


def _row(rel, now) -> dict:
    """One list row (the page's roles come attached: no query here)."""
    approved = _by_name(rel.approved_role_list)
    return {
        "rel": rel,
        "status": rel.status_at(now),
        "end": rel.real_end(now),
        "ended": rel.status_at(now) in rel.ENDED,
        "expiring": rel.is_expiring(now),
        # Until approval the request is what there is to show.
        "roles": approved or _by_name(rel.requested_role_list),
        "roles_approved": bool(approved),
    }


class RelationshipsView(TenantView):
    """The relationships list; with `rid`, the same page with that relationship's pane open."""

    required = {"GET": p.PARTNERS_READ}
    template_name = "relationships/gdap/relationships.html"

    def get(self, request, tid, rid=None):
        now = timezone.now()
        selected = selectors.get_relationship_or_404(self.tenant, rid) if rid else None
        pane = _pane_context(self, selected, now) if selected else {}
        if selected and fragment_wanted(request):
            return vary_on_htmx(
                TemplateResponse(
                    request,
                    "relationships/gdap/_relationship_pane.html",
                    self.get_context_data(**pane),
                )
            )
        filterset, qs = filter_page(
            RelationshipFilter,
            request.GET,
            selectors.relationships_of(self.tenant).order_by("-created_at"),
        )
        status_form, status = filterset.form, filter_values(filterset).get("status", "")
        page = Paginator(page_keys(qs), RELATIONSHIPS_PER_PAGE).get_page(request.GET.get("page"))
        context = self.get_context_data(
            status_form=status_form,
            status=status,
            page=page,
            rows=[_row(rel, now) for rel in selectors.page_loader(qs)(page.object_list)],
            selected=selected,
            can_create=self.access.has(p.PARTNERS_MANAGE),
            **pane,
        )
        return vary_on_htmx(TemplateResponse(request, self.template_name, context))


def _pane_context(view, rel, now) -> dict:
    row = _row(rel, now)
    is_partner = rel.partner_id == view.tenant.pk
    can_manage = is_partner and view.access.has(p.PARTNERS_MANAGE)
    approved = _by_name(rel.approved_roles.all())
    assignments = [
        {"assignment": a, "roles": _by_name(a.roles.all()), "dialog_id": f"remove-{a.pk}"}
        for a in rel.access_assignments.all()
    ]
    context = {
        "rel": rel,
        "row": row,
        "is_partner": is_partner,
        "can_manage": can_manage,
        "requested_roles": _by_name(rel.requested_roles.all()),
        "approved_roles": approved,
        "assignments": assignments,
        "can_edit": can_manage and rel.status == Status.CREATED,
        "can_lock": can_manage and rel.status == Status.CREATED,
        "can_terminate": can_manage and row["status"] == Status.ACTIVE,
        "can_assign": can_manage and row["status"] == Status.ACTIVE,
        "can_read_audit": view.access.has(AUDIT_READ),
    }
    if can_manage:
        context["reference_form"] = ReferenceForm(
            initial={"reference": rel.reference}, auto_id="reference-%s"
        )
    if context["can_lock"]:
        context["lock_form"] = forms.LockForApprovalForm()
    if context["can_assign"] and approved:
        groups = tenant_selectors.security_groups_of(view.tenant)
        context["assignment_form"] = forms.AccessAssignmentForm(
            groups=groups, approved_roles=approved
        )
    return context


def _own_relationship_or_404(view, rid):
    """A relationship of which this tenant is the partner (only the partner changes it)."""
    rel = selectors.get_relationship_or_404(view.tenant, rid)
    if rel.partner_id != view.tenant.pk:
        raise NotFound()
    return rel


class RelationshipFormView(TenantView):
    """Shared by create and edit: the form page."""

    required = {}
    template_name = "relationships/gdap/relationship_form.html"

    def render(self, form, rel=None, status=200):
        context = self.get_context_data(
            form=form,
            rel=rel,
            quick_durations=forms.QUICK_DURATIONS,
            roles_field=form["roles"],
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)


class RelationshipCreateView(RelationshipFormView):
    required = {"GET": p.PARTNERS_MANAGE, "POST": p.PARTNERS_MANAGE}

    def get(self, request, tid):
        return self.render(forms.RelationshipForm(partner=self.tenant))

    def post(self, request, tid):
        form = forms.RelationshipForm(request.POST, partner=self.tenant)
        if form.is_valid():
            try:
                rel = services.create_relationship(
                    by=request.user, partner=self.tenant, **form.service_kwargs()
                )
            except (ValidationError, PermissionDenied) as exc:
                forms.apply_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is created. Send it for approval when it is ready.")
                    % {"name": rel.display_name},
                )
                return redirect("gdap_relationship", tid=tid, rid=rel.pk)
        return self.render(form, status=400)


class RelationshipEditView(RelationshipFormView):
    required = {"GET": p.PARTNERS_MANAGE, "POST": p.PARTNERS_MANAGE}

    def _editable(self, rid):
        rel = _own_relationship_or_404(self, rid)
        if rel.status != Status.CREATED:
            raise InvalidState(_("Only a relationship in status created can be edited."))
        return rel

    def get(self, request, tid, rid):
        rel = self._editable(rid)
        initial = forms.RelationshipForm.initial_for(rel)
        return self.render(forms.RelationshipForm(partner=self.tenant, initial=initial), rel)

    def post(self, request, tid, rid):
        rel = self._editable(rid)
        form = forms.RelationshipForm(request.POST, partner=self.tenant)
        if form.is_valid():
            try:
                services.update_relationship(
                    by=request.user,
                    partner=self.tenant,
                    relationship_id=rel.pk,
                    **form.service_kwargs(),
                )
            except (ValidationError, PermissionDenied) as exc:
                forms.apply_domain_error(form, exc)
            else:
                messages.success(request, _("Relationship saved."))
                return redirect("gdap_relationship", tid=tid, rid=rel.pk)
        return self.render(form, rel, status=400)


class RelationshipLockView(TenantView):
    """POST: lockForApproval; the page shows the approval link once, to copy."""

    required = {"POST": p.PARTNERS_MANAGE}

    def post(self, request, tid, rid):
        rel = _own_relationship_or_404(self, rid)
        form = forms.LockForApprovalForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter a valid email address, or leave it empty."))
            return redirect("gdap_relationship", tid=tid, rid=rel.pk)
        _invitation, approval_url = services.lock_for_approval(
            by=request.user,
            partner=self.tenant,
            relationship_id=rel.pk,
            email=form.cleaned_data["email"],
        )
        context = self.get_context_data(
            rel=rel, approval_url=approval_url, email=form.cleaned_data["email"]
        )
        # Rendered, not redirected: the link holds a token that is stored only as a hash.
        response = TemplateResponse(request, "relationships/gdap/approval_link.html", context)
        response["Cache-Control"] = "no-store"
        return response


class RelationshipTerminateView(TenantView):
    """GET: the confirmation page (the dialog's fallback). POST: terminate."""

    required = {"GET": p.PARTNERS_MANAGE, "POST": p.PARTNERS_MANAGE}

    def get(self, request, tid, rid):
        rel = _own_relationship_or_404(self, rid)
        context = self.get_context_data(rel=rel)
        return TemplateResponse(request, "relationships/gdap/relationship_terminate.html", context)

    def post(self, request, tid, rid):
        rel = _own_relationship_or_404(self, rid)
        try:
            services.terminate_relationship(
                by=request.user, tenant=self.tenant, relationship_id=rel.pk
            )
        except InvalidState as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("%(name)s is terminated.") % {"name": rel.display_name})
        return redirect("gdap_relationship", tid=tid, rid=rel.pk)


class AccessAssignmentAddView(TenantView):
    required = {"POST": p.PARTNERS_MANAGE}

    def post(self, request, tid, rid):
        rel = _own_relationship_or_404(self, rid)
        form = forms.AccessAssignmentForm(
            request.POST,
            groups=tenant_selectors.security_groups_of(self.tenant),
            approved_roles=rel.approved_roles.all(),
        )
        if not form.is_valid():
            messages.error(request, _("Choose one of your security groups and approved roles."))
            return redirect("gdap_relationship", tid=tid, rid=rel.pk)
        try:
            services.create_access_assignment(
                by=request.user,
                partner=self.tenant,
                relationship_id=rel.pk,
                security_group_id=form.cleaned_data["group"],
                role_ids=form.cleaned_data["roles"],
            )
        except (ValidationError, InvalidState) as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("Access assigned."))
        return redirect("gdap_relationship", tid=tid, rid=rel.pk)


class AccessAssignmentRemoveView(TenantView):
    """GET: the confirmation page (the dialog's fallback). POST: remove the assignment."""

    required = {"GET": p.PARTNERS_MANAGE, "POST": p.PARTNERS_MANAGE}

    def _assignment(self, rid, aid):
        rel = _own_relationship_or_404(self, rid)
        assignment = next((a for a in rel.access_assignments.all() if str(a.pk) == str(aid)), None)
        if assignment is None:
            raise NotFound()
        return rel, assignment

    def get(self, request, tid, rid, aid):
        rel, assignment = self._assignment(rid, aid)
        context = self.get_context_data(rel=rel, assignment=assignment)
        return TemplateResponse(request, "relationships/gdap/assignment_remove.html", context)

    def post(self, request, tid, rid, aid):
        rel, assignment = self._assignment(rid, aid)
        services.delete_access_assignment(
            by=request.user,
            partner=self.tenant,
            relationship_id=rel.pk,
            assignment_id=assignment.pk,
        )
        messages.success(
            request,
            _("%(group)s no longer has access through this relationship.")
            % {"group": assignment.security_group.name},
        )
        return redirect("gdap_relationship", tid=tid, rid=rel.pk)


class RelationshipReferenceView(TenantView):
    """POST: the partner's internal reference on one of its relationships (any status)."""

    required = {"POST": p.PARTNERS_MANAGE}

    def post(self, request, tid, rid):
        rel = _own_relationship_or_404(self, rid)
        form = ReferenceForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["reference"][0])
            return redirect("gdap_relationship", tid=tid, rid=rel.pk)
        services.set_relationship_reference(
            by=request.user,
            partner=self.tenant,
            relationship_id=rel.pk,
            reference=form.cleaned_data["reference"],
        )
        messages.success(request, _("Internal reference saved."))
        return redirect("gdap_relationship", tid=tid, rid=rel.pk)
