"""Reads of people's data that belong to no tenant: the signed-in user's invitations."""

from django.utils import timezone

from people.models import MembershipInvitation


def pending_invitations_for(user):
    """Membership invitations waiting for this account's answer, newest first."""
    return (
        MembershipInvitation.objects.filter(
            user=user,
            status=MembershipInvitation.Status.PENDING,
            expires_at__gt=timezone.now(),
        )
        .select_related("tenant", "invited_by", "partner_tenant")
        .prefetch_related("roles")
        .order_by("-created_at")
    )
