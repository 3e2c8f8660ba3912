"""Reads of invitations: sent by a partner, received by a customer, by status."""

from django.db.models import Prefetch, Q
from django.utils import timezone

from relationships.models import Invitation


def invitations_sent(partner):
    return (
        Invitation.objects.filter(partner=partner)
        .select_related("partner", "customer", "gdap_relationship")
        .prefetch_related(
            Prefetch("gdap_relationship__requested_roles"),
        )
        .order_by("-created_at")
    )


def invitations_received(customer):
    return (
        Invitation.objects.filter(Q(customer=customer) | Q(accepted_tenant=customer))
        .select_related("partner", "partner__partner_profile", "gdap_relationship")
        .prefetch_related("gdap_relationship__requested_roles")
        .order_by("-created_at")
    )


def with_status(invitations, status: str, *, at=None):
    """Filter by the status a reader sees: a pending invitation past its expiry is expired."""
    at = at or timezone.now()
    Status = Invitation.Status
    if status == Status.PENDING:
        return invitations.filter(status=Status.PENDING, expires_at__gt=at)
    if status == Status.EXPIRED:
        return invitations.filter(
            Q(status=Status.EXPIRED) | Q(status=Status.PENDING, expires_at__lte=at)
        )
    return invitations.filter(status=status)
