"""Membership invitations: how an existing account joins a tenant. Its holder accepts or
declines while signed in; until then the account has no membership and no rights there,
and no tenant action reaches it. Support staff accounts never join a tenant.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from core.errors import InvalidState, NotFound, PermissionDenied
from core.statemachine import transition
from notifications.services import queue_mail
from people.models import MEMBERSHIP_INVITATION_TRANSITIONS, MembershipInvitation
from roles import access
from roles.permissions import USERS_MANAGE
from tenants.models import Membership, User

INVITATION_TTL = timedelta(days=30)


def invite_existing(*, by, by_access, tenant, user, roles, partner) -> MembershipInvitation:
    """Inside add_member (which checked permission): invite an existing account. A second
    invitation while one is pending changes nothing and returns the first."""
    pending = (
        MembershipInvitation.objects.select_for_update()
        .filter(tenant=tenant, user=user, status=MembershipInvitation.Status.PENDING)
        .first()
    )
    if pending is not None and pending.expires_at > timezone.now():
        return pending
    if pending is not None:  # past its expiry: close it before the new one
        transition(pending, "expire", MEMBERSHIP_INVITATION_TRANSITIONS)
        pending.save(update_fields=["status"])
    invitation = MembershipInvitation.objects.create(
        tenant=tenant,
        user=user,
        partner_tenant=partner,
        delegated_partner_id=access.acting_partner(by_access, USERS_MANAGE),
        invited_by=by,
        expires_at=timezone.now() + INVITATION_TTL,
    )
    invitation.roles.set(roles)
    record(
        "membership.invited",
        actor=by,
        target_tenant=tenant,
        obj=invitation,
        after={
            "email": user.email,
            "roles": [r.name for r in roles],
            "partner": partner.name if partner else None,
        },
        access=by_access,
    )
    queue_mail(
        to=user.email,
        template="membership_invitation",
        context={
            "tenant_name": tenant.name,
            "inviter": by.name,
            "invitations_url": settings.SITE_URL + reverse("membership_invitations"),
        },
        language=user.language or None,
    )
    return invitation


def _lock_own(by: User, invitation_id) -> MembershipInvitation:
    """The signed-in holder's own invitation; anyone else's reads as missing."""
    try:
        return (
            MembershipInvitation.objects.select_for_update(of=("self",))
            .select_related("tenant", "partner_tenant")
            .get(pk=invitation_id, user=by)
        )
    except (MembershipInvitation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    except Exception as exc:  # a malformed id
        from django.core.exceptions import ValidationError as DjangoValidationError

        if isinstance(exc, DjangoValidationError):
            raise NotFound() from None
        raise


def _require_pending(invitation: MembershipInvitation) -> None:
    if invitation.status_at(timezone.now()) != MembershipInvitation.Status.PENDING:
        raise InvalidState(_("This invitation has been answered or has expired."))


@transaction.atomic
def accept_membership_invitation(*, by: User, invitation_id) -> Membership:
    """The holder joins the tenant, with the roles the invitation names."""
    invitation = _lock_own(by, invitation_id)
    if by.is_staff or by.is_superuser:
        raise PermissionDenied(_("Support staff accounts do not join tenants."))
    _require_pending(invitation)
    transition(invitation, "accept", MEMBERSHIP_INVITATION_TRANSITIONS)
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    membership, _created = Membership.objects.get_or_create(
        user=by,
        tenant=invitation.tenant,
        defaults={
            "partner_tenant": invitation.partner_tenant,
            "delegated_partner": invitation.delegated_partner,
        },
    )
    roles = list(invitation.roles.all())
    membership.roles.add(
        *roles, through_defaults={"delegated_partner_id": invitation.delegated_partner_id}
    )
    record(
        "membership.invitation_accepted",
        actor=by,
        target_tenant=invitation.tenant,
        obj=membership,
        after={"email": by.email, "roles": sorted(r.name for r in roles)},
    )
    return membership


@transaction.atomic
def decline_membership_invitation(*, by: User, invitation_id) -> MembershipInvitation:
    """The holder says no; nothing changes in the tenant."""
    invitation = _lock_own(by, invitation_id)
    _require_pending(invitation)
    transition(invitation, "decline", MEMBERSHIP_INVITATION_TRANSITIONS)
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    record(
        "membership.invitation_declined",
        actor=by,
        target_tenant=invitation.tenant,
        obj=invitation,
        after={"email": by.email},
    )
    return invitation
