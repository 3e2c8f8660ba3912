"""The signed-in user's membership invitations: accept or decline joining a tenant."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from core.errors import DomainError
from people import selectors
from people.services import invitations as services


class MembershipInvitationsView(LoginRequiredMixin, View):
    """GET: the invitations waiting for the user. POST: accept or decline one."""

    template_name = "people/membership_invitations.html"

    def get(self, request):
        rows = selectors.pending_invitations_for(request.user)
        return TemplateResponse(request, self.template_name, {"invitations": rows})

    def post(self, request):
        invitation_id = request.POST.get("invitation", "")
        try:
            if request.POST.get("action") == "accept":
                membership = services.accept_membership_invitation(
                    by=request.user, invitation_id=invitation_id
                )
                messages.success(
                    request, _("You joined %(name)s.") % {"name": membership.tenant.name}
                )
                return redirect("tenant_home", tid=membership.tenant_id)
            services.decline_membership_invitation(by=request.user, invitation_id=invitation_id)
            messages.success(request, _("The invitation is declined."))
        except DomainError as exc:
            messages.error(request, exc.detail)
        return redirect("membership_invitations")
