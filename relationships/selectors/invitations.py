"""Reads of invitations: sent by a partner, received by a customer, by status."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotFound
from relationships.models import Invitation
from relationships.tokens import hash_token
from roles import access
from roles.permissions import PARTNERS_MANAGE


def invitations_sent(partner):
    return (
        Invitation.objects.filter(partner=partner)
        .select_related("partner", "customer", "gdap_relationship", "created_by")
        .prefetch_related(
            Prefetch("gdap_relationship__requested_roles"),
        )
        .order_by("-created_at")
    )


def invitations_received(customer, *, parts=None):
    """Invitations naming the tenant (answered in it: acceptance names it), or sent without a
    tenant to one of its admins who may accept (their own partners.manage): each such
    invitation is listed in every tenant where its addressee may accept it (one query for
    the addressees, unless parts, invitations_received_parts' answer, is given)."""
    named, open_to_admins = parts or invitations_received_parts(customer)
    return (
        (named | open_to_admins)
        .select_related("partner", "partner__partner_profile", "gdap_relationship")
        .prefetch_related("gdap_relationship__requested_roles")
        .order_by("-created_at")
    )


def invitations_received_parts(customer) -> tuple:
    """invitations_received's rows as two disjoint querysets, each one index range in time
    order (core.paging.MergedKeys pages them): naming the tenant; naming none, addressed
    to one of its admins who may accept."""
    addressees = sorted(
        {email.lower() for email, _language in access.holders(customer, PARTNERS_MANAGE)}
    )
    return (
        Invitation.objects.filter(customer=customer),
        Invitation.objects.filter(customer__isnull=True, email__in=addressees),
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


def get_invitation_by_token(raw: str, *, lock: bool = False) -> Invitation:
    """The invitation for a raw token; NotFound for an unknown or superseded one."""
    if not raw or len(raw) > 200:
        raise NotFound(_("This invitation link is not valid."))
    qs = Invitation.objects.select_related(
        "partner__partner_profile", "customer", "gdap_relationship"
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    invitation = qs.filter(token_hash=hash_token(raw)).first()
    if invitation is None:
        raise NotFound(
            _("This invitation link is not valid. It may have been replaced by a newer one.")
        )
    return invitation


def get_invitation_for_relationship(relationship_id, *, lock: bool = False) -> Invitation:
    """The invitation that carries a GDAP relationship to its customer; NotFound if none."""
    qs = Invitation.objects.select_related(
        "partner__partner_profile", "customer", "gdap_relationship"
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    try:
        invitation = qs.filter(gdap_relationship_id=relationship_id).first()
    except (DjangoValidationError, ValueError, TypeError):
        invitation = None
    if invitation is None:
        raise NotFound()
    return invitation
