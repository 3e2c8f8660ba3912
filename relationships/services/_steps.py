"""Steps that run inside the services' actions: they change a relationship or an
invitation, and leave the permission check, the audit event and the mail to the action
that calls them (acceptance, invitations, gdap, partner_relationships). Private: callers
outside relationships.services use the actions.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidState, PreconditionFailed, ValidationError
from core.statemachine import transition
from partners import relationship_types as types
from relationships.models import DelegatedAdminRelationship, Invitation, PartnerRelationship
from relationships.rules import validate_request
from relationships.states import GDAP_TRANSITIONS, INVITATION_TRANSITIONS

Status = DelegatedAdminRelationship.Status
InvitationStatus = Invitation.Status


def check_version(obj, expected_version) -> None:
    """If-Match: the caller's version must be the row's (read under its lock)."""
    if expected_version is not None and expected_version != obj.version:
        raise PreconditionFailed()


def build_request(
    *, by, partner, customer, display_name, duration, role_ids, auto_extend_duration=timedelta(0)
) -> DelegatedAdminRelationship:
    """The GDAP part of an invitation: a relationship already awaiting approval.

    Runs inside send_invitation, which checks permission and writes the audit event.
    """
    name, roles = validate_request(
        display_name=display_name,
        duration=duration,
        role_ids=role_ids,
        auto_extend_duration=auto_extend_duration,
    )
    try:
        with transaction.atomic():
            rel = DelegatedAdminRelationship.objects.create(
                partner=partner,
                customer=customer,
                display_name=name,
                duration=duration,
                auto_extend_duration=auto_extend_duration,
                status=Status.APPROVAL_PENDING,
                created_by=by,
            )
    except IntegrityError:
        raise ValidationError(
            _("A relationship with this display name exists."),
            errors={"gdap": [_("The display name is already in use.")]},
        ) from None
    rel.requested_roles.set(roles)
    return rel


def expire_request(rel: DelegatedAdminRelationship) -> None:
    """An approval request whose invitation expired or was withdrawn."""
    transition(rel, "expire", GDAP_TRANSITIONS)
    rel.ended_at = timezone.now()
    rel.save(update_fields=["status", "ended_at", "last_modified_at"])


def activate(*, by, customer, rel: DelegatedAdminRelationship, approved_role_ids) -> list:
    """Approve (a subset of) the requested roles: active now, ending after the duration.

    Called inside the invitation acceptance, which checks permission and writes the audit
    event; returns the approved roles.
    """
    requested = {r.id: r for r in rel.requested_roles.all()}
    # None approves everything requested; an explicit empty list approves nothing (refused).
    approved_ids = (
        list(requested) if approved_role_ids is None else list(dict.fromkeys(approved_role_ids))
    )
    unknown = [str(i) for i in approved_ids if i not in requested]
    if unknown or not approved_ids:
        raise ValidationError(
            _("Approve at least one of the requested roles, and only those."),
            errors={"approved_role_definition_ids": [_("Choose among the requested roles.")]},
        )
    transition(rel, "approve", GDAP_TRANSITIONS)
    now = timezone.now()
    rel.customer = customer
    rel.activated_at = now
    rel.end_at = now + rel.duration
    rel.save(update_fields=["status", "customer", "activated_at", "end_at", "last_modified_at"])
    roles = [requested[i] for i in approved_ids]
    rel.approved_roles.set(roles)
    return roles


def decline(rel: DelegatedAdminRelationship) -> None:
    transition(rel, "decline", GDAP_TRANSITIONS)
    rel.ended_at = timezone.now()
    rel.save(update_fields=["status", "ended_at", "last_modified_at"])


def end_grant(rel: DelegatedAdminRelationship, event: str = "terminate") -> None:
    """Terminate (or expire) an active relationship and drop its assignments' effect."""
    transition(rel, event, GDAP_TRANSITIONS)
    rel.ended_at = timezone.now()
    rel.save(update_fields=["status", "ended_at", "last_modified_at"])


def require_pending(invitation: Invitation) -> None:
    status = invitation.status_at(timezone.now())
    if status != InvitationStatus.PENDING:
        raise InvalidState(
            _("This invitation is %(status)s.") % {"status": InvitationStatus(status).label.lower()}
        )


def close_invitation(invitation: Invitation, event: str, *, by=None) -> None:
    """Move a pending invitation to its end state, and its GDAP request with it."""
    transition(invitation, event, INVITATION_TRANSITIONS)
    invitation.responded_at = timezone.now()
    invitation.responded_by = by
    invitation.save(update_fields=["status", "responded_at", "responded_by"])
    rel = invitation.gdap_relationship
    if rel is not None and rel.status == DelegatedAdminRelationship.Status.APPROVAL_PENDING:
        if event == "decline":
            decline(rel)
        else:
            expire_request(rel)


def add_types(*, customer, partner, codes) -> tuple[PartnerRelationship, list[str]]:
    """Create the relationship or add types to it (inside the caller's transaction)."""
    try:
        with transaction.atomic():
            relationship, _created = PartnerRelationship.objects.select_for_update().get_or_create(
                customer=customer, partner=partner
            )
    except IntegrityError:  # created concurrently by another acceptance
        relationship = PartnerRelationship.objects.select_for_update().get(
            customer=customer, partner=partner
        )
    added = [c for c in codes if c not in relationship.types]
    if not relationship.types:
        relationship.started_at = timezone.now()
        relationship.ended_at = None
    relationship.types = [c for c in types.CODES if c in set(relationship.types) | set(codes)]
    relationship.save(update_fields=["types", "started_at", "ended_at", "updated_at"])
    return relationship, added
