"""HTML pages: landing, tenant creation, tenant home, users, security groups, audit log,
API tokens and the language switch. Reads go through selectors, writes through services."""

import contextlib

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from audit.selectors import audit_events_for_tenant
from core.errors import DomainError, NotFound, PermissionDenied, ValidationError
from core.navigation import items_for
from core.views import TenantView, fragment_wanted, request_page, vary_on_htmx
from roles import catalog
from roles import permissions as p
from roles.selectors import ending_soon
from tenants import forms, selectors, services

USERS_PER_PAGE = 25
EVENTS_PER_PAGE = 50


# Outside tenants ---------------------------------------------------------------------------


def home(request):
    """Signed out: the landing page. Signed in: the first tenant, or creating one."""
    if not request.user.is_authenticated:
        return TemplateResponse(request, "landing.html")
    first = selectors.memberships_for_user(request.user).first()
    if first is None:
        return redirect("tenant_create")
    return redirect("tenant_home", tid=first.tenant_id)


@require_POST
def set_language(request):
    """Remember a signed-in user's choice, then switch like Django's set_language (cookie)."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated:
        # Django's view below ignores an unknown language; so do we.
        with contextlib.suppress(ValidationError):
            services.set_language(by=request.user, language=language)
    return django_set_language(request)


class TenantCreateView(LoginRequiredMixin, View):
    template_name = "tenants/create.html"

    def get(self, request):
        return self.render(forms.TenantCreateForm())

    def post(self, request):
        form = forms.TenantCreateForm(request.POST)
        if form.is_valid():
            try:
                tenant = services.create_tenant(
                    by=request.user,
                    name=form.cleaned_data["name"],
                    country=form.cleaned_data["country"],
                    domain=form.cleaned_data["domain"],
                )
            except ValidationError as exc:
                forms.apply_domain_error(form, exc)
            else:
                messages.success(request, _("%(name)s is ready.") % {"name": tenant.name})
                return redirect("tenant_home", tid=tenant.pk)
        return self.render(form, status=400)

    def render(self, form, status=200):
        return TemplateResponse(self.request, self.template_name, {"form": form}, status=status)


class ApiTokensView(LoginRequiredMixin, View):
    """The user's personal access tokens; a new token's secret is shown once, here."""

    template_name = "tenants/api_tokens.html"

    def get(self, request):
        return self.render(forms.ApiTokenForm())

    def post(self, request):
        form = forms.ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                token, raw = services.create_api_token(
                    by=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
                )
            except ValidationError as exc:
                forms.apply_domain_error(form, exc)
            else:
                # Rendered, not redirected: the raw token is never stored anywhere.
                response = self.render(forms.ApiTokenForm(), created=token, raw=raw)
                response["Cache-Control"] = "no-store"
                return response
        return self.render(form, status=400)

    def render(self, form, status=200, **extra):
        now = timezone.now()
        rows = [
            {"token": token, "status": _token_status(token, now), "dialog_id": f"revoke-{token.pk}"}
            for token in selectors.api_tokens_of(self.request.user)
        ]
        return TemplateResponse(
            self.request,
            self.template_name,
            {"form": form, "rows": rows, **extra},
            status=status,
        )


def _token_status(token, now) -> str:
    if token.revoked_at:
        return "revoked"
    if token.expires_at and token.expires_at <= now:
        return "expired"
    return "active"


class ApiTokenRevokeView(LoginRequiredMixin, View):
    """GET: the confirmation page (the dialog's fallback). POST: revoke."""

    def get(self, request, token_id):
        token = selectors.get_api_token_or_404(request.user, token_id)
        return TemplateResponse(request, "tenants/api_token_revoke.html", {"token": token})

    def post(self, request, token_id):
        token = services.revoke_api_token(by=request.user, token_id=token_id)
        messages.success(request, _("Token %(name)s is revoked.") % {"name": token.name})
        return redirect("api_tokens")


# Inside a tenant ---------------------------------------------------------------------------


class TenantHomeView(TenantView):
    """Who you are here: roles, what they let you do, where to go."""

    required = {"GET": None}

    def get(self, request, tid):
        labels = p.PERMISSIONS
        links = [
            item
            for _title, items in items_for(self.tenant, self.access)
            for item in items
            if item.url_name != "tenant_home"
        ]
        by_id = catalog.roles_by_id()
        delegated = [g for g in self.access.grants if g.source != "member"]
        context = self.get_context_data(
            roles=self.access.roles(),
            permission_labels=[labels[perm] for perm in labels if perm in self.access.permissions],
            links=links,
            delegated=[(g, by_id.get(g.role_id)) for g in delegated],
            ending_soon=ending_soon(self.tenant) if self.access.has(p.PARTNERS_READ) else None,
            ending_window_days=60,
        )
        return TemplateResponse(request, "tenants/home.html", context)


def _member_rows(memberships):
    """Members with their roles sorted, privileged flagged (roles come prefetched)."""
    rows = []
    for membership in memberships:
        roles = sorted(membership.roles.all(), key=lambda r: r.name)
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
    template_name = "tenants/users.html"

    def get(self, request, tid, uid=None):
        selected = selectors.get_membership_or_404(self.tenant, uid) if uid else None
        pane = _user_pane_context(self, selected) if selected else {}
        if selected and fragment_wanted(request):
            return vary_on_htmx(
                TemplateResponse(request, "tenants/_user_pane.html", self.get_context_data(**pane))
            )
        search = forms.MemberSearchForm(request.GET)
        members = selectors.members_of(self.tenant)
        query = search.cleaned_data.get("q", "").strip() if search.is_valid() else ""
        if query:
            members = members.filter(
                Q(user__email__icontains=query) | Q(user__display_name__icontains=query)
            )
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
    roles = sorted(membership.roles.all(), key=lambda r: r.name)
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
        return TemplateResponse(request, "tenants/user_remove.html", context)

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
        return TemplateResponse(request, "tenants/user_reset_password.html", context)

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
        response = TemplateResponse(request, "tenants/user_reset_password.html", context)
        response["Cache-Control"] = "no-store"
        return response


class UserAddView(TenantView):
    required = {"GET": p.USERS_MANAGE, "POST": p.USERS_MANAGE}
    template_name = "tenants/user_add.html"

    def get(self, request, tid):
        initial = {"partner": request.GET.get("partner")} if request.GET.get("partner") else None
        return self.render(forms.MemberAddForm(initial=initial, partners=self.partners()))

    def partners(self):
        from partners.relationships import partners_of

        return partners_of(self.tenant)

    def post(self, request, tid):
        form = forms.MemberAddForm(request.POST, partners=self.partners())
        if form.is_valid():
            try:
                membership = services.add_member(
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
                messages.success(
                    request, _("%(email)s was added.") % {"email": membership.user.email}
                )
                return redirect("tenant_user", tid=tid, uid=membership.user_id)
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = self.get_context_data(form=form, can_assign=self.access.has(p.ROLES_ASSIGN))
        return TemplateResponse(self.request, self.template_name, context, status=status)


class GroupsView(TenantView):
    required = {"GET": p.USERS_READ, "POST": p.USERS_MANAGE}
    template_name = "tenants/groups.html"

    def get(self, request, tid):
        return self.render(forms.SecurityGroupForm())

    def post(self, request, tid):
        form = forms.SecurityGroupForm(request.POST)
        if form.is_valid():
            try:
                group = services.create_security_group(
                    by=request.user,
                    tenant=self.tenant,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as exc:
                forms.apply_domain_error(form, exc)
            else:
                messages.success(request, _("Group %(name)s created.") % {"name": group.name})
                return redirect("tenant_group", tid=tid, gid=group.pk)
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = self.get_context_data(groups=selectors.security_groups_of(self.tenant), form=form)
        return TemplateResponse(self.request, self.template_name, context, status=status)


class GroupView(TenantView):
    """One group: rename (POST here), members and delete (their own URLs)."""

    required = {"GET": p.USERS_READ, "POST": p.USERS_MANAGE}
    template_name = "tenants/group.html"

    def get(self, request, tid, gid):
        group = selectors.get_security_group_or_404(self.tenant, gid)
        form = forms.SecurityGroupForm(
            initial={"name": group.name, "description": group.description}
        )
        return self.render(group, form)

    def post(self, request, tid, gid):
        group = selectors.get_security_group_or_404(self.tenant, gid)
        form = forms.SecurityGroupForm(request.POST)
        if form.is_valid():
            try:
                services.rename_security_group(
                    by=request.user,
                    tenant=self.tenant,
                    group_id=group.pk,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as exc:
                forms.apply_domain_error(form, exc)
            else:
                messages.success(request, _("Group saved."))
                return redirect("tenant_group", tid=tid, gid=group.pk)
        return self.render(group, form, status=400)

    def render(self, group, form, members_form=None, status=200):
        memberships = list(selectors.members_of(self.tenant))
        if members_form is None:
            members_form = forms.GroupMembersForm(
                memberships=memberships,
                initial={"members": [str(u.pk) for u in group.members.all()]},
            )
        context = self.get_context_data(
            group=group,
            form=form,
            members_form=members_form,
            group_members=list(group.members.all()),
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)


class GroupMembersView(TenantView):
    required = {"POST": p.USERS_MANAGE}

    def post(self, request, tid, gid):
        group = selectors.get_security_group_or_404(self.tenant, gid)
        form = forms.GroupMembersForm(
            request.POST, memberships=list(selectors.members_of(self.tenant))
        )
        if not form.is_valid():
            messages.error(request, _("Only members of this tenant can join its groups."))
            return redirect("tenant_group", tid=tid, gid=group.pk)
        try:
            services.set_security_group_members(
                by=request.user,
                tenant=self.tenant,
                group_id=group.pk,
                user_ids=form.cleaned_data["members"],
            )
        except ValidationError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("Members saved."))
        return redirect("tenant_group", tid=tid, gid=group.pk)


class GroupDeleteView(TenantView):
    """GET: the confirmation page (the dialog's fallback). POST: delete the group."""

    required = {"GET": p.USERS_MANAGE, "POST": p.USERS_MANAGE}

    def get(self, request, tid, gid):
        group = selectors.get_security_group_or_404(self.tenant, gid)
        context = self.get_context_data(group=group)
        return TemplateResponse(request, "tenants/group_delete.html", context)

    def post(self, request, tid, gid):
        group = selectors.get_security_group_or_404(self.tenant, gid)
        services.delete_security_group(by=request.user, tenant=self.tenant, group_id=group.pk)
        messages.success(request, _("Group %(name)s deleted.") % {"name": group.name})
        return redirect("tenant_groups", tid=tid)


class AuditView(TenantView):
    """The tenant's audit log, newest first, filtered by action and dates."""

    required = {"GET": p.AUDIT_READ}
    template_name = "tenants/audit.html"

    def get(self, request, tid):
        actions = (
            audit_events_for_tenant(tenant=self.tenant)
            .order_by("action")
            .values_list("action", flat=True)
            .distinct()
        )
        form = forms.AuditFilterForm(request.GET or None, actions=list(actions))
        since = until = None
        action = ""
        if form.is_bound and form.is_valid():
            action = form.cleaned_data["action"]
            since, until = form.bounds()
        events = audit_events_for_tenant(
            tenant=self.tenant, action=action, since=since, until=until
        )
        if form.is_bound and not form.is_valid():
            events = events.none()  # a filter we cannot read shows nothing, not everything
        page = request_page(request, events, EVENTS_PER_PAGE)
        context = self.get_context_data(
            form=form, page=page, filtered=bool(action or since or until)
        )
        return TemplateResponse(request, self.template_name, context)
