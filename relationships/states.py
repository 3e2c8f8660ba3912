"""The state machines of relationships as tables: {(status, event): new status}.

core.statemachine.transition() moves along them and refuses anything else (409).
"""

from relationships.models import DelegatedAdminRelationship, Invitation

Status = DelegatedAdminRelationship.Status
InvitationStatus = Invitation.Status

GDAP_TRANSITIONS = {
    (Status.CREATED, "lock_for_approval"): Status.APPROVAL_PENDING,
    (Status.APPROVAL_PENDING, "approve"): Status.ACTIVE,
    (Status.APPROVAL_PENDING, "decline"): Status.DECLINED,
    (Status.APPROVAL_PENDING, "expire"): Status.EXPIRED,
    (Status.ACTIVE, "expire"): Status.EXPIRED,
    (Status.ACTIVE, "terminate"): Status.TERMINATED,
}

INVITATION_TRANSITIONS = {
    (InvitationStatus.PENDING, "accept"): InvitationStatus.ACCEPTED,
    (InvitationStatus.PENDING, "decline"): InvitationStatus.DECLINED,
    (InvitationStatus.PENDING, "cancel"): InvitationStatus.CANCELLED,
    (InvitationStatus.PENDING, "expire"): InvitationStatus.EXPIRED,
}
