"""HTML pages: invitations (both sides), customers, partner relationships, agreement."""

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse

from partners import invitations


@login_required
def invitation_landing(request, token):
    invitation = invitations.get_by_token(token)
    return TemplateResponse(request, "relationships/invitation.html", {"invitation": invitation})
