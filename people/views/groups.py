"""A tenant's security groups: the list, one group, its members, deleting it."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core.errors import ValidationError
from core.views import TenantView
from people import forms, services
from roles import permissions as p
from tenants import selectors


class GroupsView(TenantView):
    required = {"GET": p.USERS_READ, "POST": p.USERS_MANAGE}
    template_name = "people/groups.html"

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
    template_name = "people/group.html"

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
        return TemplateResponse(request, "people/group_delete.html", context)

    def post(self, request, tid, gid):
        group = selectors.get_security_group_or_404(self.tenant, gid)
        services.delete_security_group(by=request.user, tenant=self.tenant, group_id=group.pk)
        messages.success(request, _("Group %(name)s deleted.") % {"name": group.name})
        return redirect("tenant_groups", tid=tid)
