"""A tenant's members: the list with its details pane, adding, roles, removal and
password resets."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core.errors import DomainError, NotFound, PermissionDenied, ValidationError
from core.filters import filter_page, filter_values
from core.views import TenantView, fragment_wanted, request_page, vary_on_htmx
from people import forms, services
from people.filters import MemberFilter
from people.models import MembershipInvitation
from relationships.selectors import partners_of
from roles import permissions as p
from tenants import selectors

USERS_PER_PAGE = 25


def _member_rows(memberships):
    """Members with their roles sorted, privileged flagged (roles come prefetched)."""
    rows = []
    for membership in memberships:
        roles = sorted(membership.role_list, key=lambda r: r.sort_key)
        rows.append(
            {
                "membership": membership,
                "user": membership.user,
                "roles": roles,
                "privileged": any(r.is_privileged for r in roles),
            }
        )
    return rows


class UsersView(TenantView):
    """The members list; with `uid`, the same page with that member's details pane open."""

    required = {"GET": p.USERS_READ}
    template_name = "people/users.html"

    def get(self, request, tid, uid=None):
        selected = selectors.get_membership_or_404(self.tenant, uid) if uid else None
        pane = _user_pane_context(self, selected) if selected else {}
        if selected and fragment_wanted(request):
            return vary_on_htmx(
                TemplateResponse(request, "people/_user_pane.html", self.get_context_data(**pane))
            )
        filterset, members = filter_page(
            MemberFilter, request.GET, selectors.members_of(self.tenant)
        )
        search, query = filterset.form, filter_values(filterset).get("q", "").strip()
        page = request_page(request, members, USERS_PER_PAGE)
        context = self.get_context_data(
            search=search,
            query=query,
            page=page,
            rows=_member_rows(page.object_list),
            selected=selected,
            **pane,
        )
        return vary_on_htmx(TemplateResponse(request, self.template_name, context))


def _user_pane_context(view, membership):
    roles = sorted(membership.role_list, key=lambda r: r.sort_key)
    context = {
        "member": membership,
        "member_roles": roles,
        "can_reset_password": membership.user_id != view.request.user.pk
        and view.access.can_reset_password_of([r.id for r in roles]),
    }
    if view.access.has(p.ROLES_ASSIGN):
        context["roles_form"] = forms.MemberRolesForm(initial={"roles": [str(r.id) for r in roles]})
    return context


class UserRolesView(TenantView):
    required = {"POST": p.ROLES_ASSIGN}

    def post(self, request, tid, uid):
        membership = selectors.get_membership_or_404(self.tenant, uid)
        form = forms.MemberRolesForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose roles from the list."))
            return redirect("tenant_user", tid=tid, uid=membership.user_id)
        try:
            services.set_member_roles(
                by=request.user,
                tenant=self.tenant,
                user_id=membership.user_id,
                role_ids=form.cleaned_data["roles"],
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(
                request, _("Roles of %(email)s saved.") % {"email": membership.user.email}
            )
        return redirect("tenant_user", tid=tid, uid=membership.user_id)


class UserRemoveView(TenantView):
    """GET: the confirmation page (the dialog's fallback). POST: remove the member."""

    required = {"GET": p.USERS_MANAGE, "POST": p.USERS_MANAGE}

    def get(self, request, tid, uid):
        membership = selectors.get_membership_or_404(self.tenant, uid)
        context = self.get_context_data(member=membership)
        return TemplateResponse(request, "people/user_remove.html", context)

    def post(self, request, tid, uid):
        membership = selectors.get_membership_or_404(self.tenant, uid)
        try:
            services.remove_member(by=request.user, tenant=self.tenant, user_id=membership.user_id)
        except NotFound:
            raise
        except DomainError as exc:
            messages.error(request, exc.detail)
            return redirect("tenant_user", tid=tid, uid=membership.user_id)
        messages.success(
            request, _("%(email)s was removed from this tenant.") % {"email": membership.user.email}
        )
        return redirect("tenant_users", tid=tid)


class UserResetPasswordView(TenantView):
    """GET: the confirmation page. POST: reset, and show the temporary password once."""

    required = {"GET": p.USERS_RESET_PASSWORD, "POST": p.USERS_RESET_PASSWORD}

    def get(self, request, tid, uid):
        membership = selectors.get_membership_or_404(self.tenant, uid)
        context = self.get_context_data(member=membership)
        return TemplateResponse(request, "people/user_reset_password.html", context)

    def post(self, request, tid, uid):
        membership = selectors.get_membership_or_404(self.tenant, uid)
        try:
            temporary = services.reset_password(
                by=request.user, tenant=self.tenant, user_id=membership.user_id
            )
        except NotFound:
            raise
        except DomainError as exc:
            messages.error(request, exc.detail)
            return redirect("tenant_user", tid=tid, uid=membership.user_id)
        context = self.get_context_data(member=membership, temporary_password=temporary)
        response = TemplateResponse(request, "people/user_reset_password.html", context)
        response["Cache-Control"] = "no-store"
        return response


class UserAddView(TenantView):
    required = {"GET": p.USERS_MANAGE, "POST": p.USERS_MANAGE}
    template_name = "people/user_add.html"

    def get(self, request, tid):
        initial = {"partner": request.GET.get("partner")} if request.GET.get("partner") else None
        return self.render(forms.MemberAddForm(initial=initial, partners=self.partners()))

    def partners(self):
        return partners_of(self.tenant)

    def post(self, request, tid):
        form = forms.MemberAddForm(request.POST, partners=self.partners())
        if form.is_valid():
            try:
                added = services.add_member(
                    by=request.user,
                    tenant=self.tenant,
                    email=form.cleaned_data["email"],
                    display_name=form.cleaned_data["display_name"],
                    role_ids=form.cleaned_data["roles"],
                    partner_tenant_id=form.cleaned_data.get("partner"),
                )
            except (ValidationError, PermissionDenied) as exc:
                forms.apply_domain_error(form, exc)
            else:
                if isinstance(added, MembershipInvitation):
                    messages.success(
                        request,
                        _(
                            "%(email)s already has an account: they were invited and join "
                            "once they accept."
                        )
                        % {"email": added.user.email},
                    )
                    return redirect("tenant_users", tid=tid)
                messages.success(request, _("%(email)s was added.") % {"email": added.user.email})
                return redirect("tenant_user", tid=tid, uid=added.user_id)
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = self.get_context_data(form=form, can_assign=self.access.has(p.ROLES_ASSIGN))
        return TemplateResponse(self.request, self.template_name, context, status=status)
