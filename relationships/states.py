"""The state machines of relationships as tables: {(status, event): new status}.

core.statemachine.transition() moves along them and refuses anything else (409).
"""

from relationships.models import (
    AccessAssignment,
    DelegatedAdminRelationship,
    Invitation,
    RelationshipOperation,
)

Status = DelegatedAdminRelationship.Status
InvitationStatus = Invitation.Status
AssignmentStatus = AccessAssignment.Status
OperationStatus = RelationshipOperation.Status

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

# An access assignment made or removed through the Graph compatible API waits for its task.
ASSIGNMENT_TRANSITIONS = {
    (AssignmentStatus.PENDING, "activate"): AssignmentStatus.ACTIVE,
    (AssignmentStatus.PENDING, "fail"): AssignmentStatus.ERROR,
    (AssignmentStatus.PENDING, "remove"): AssignmentStatus.DELETING,
    (AssignmentStatus.ACTIVE, "remove"): AssignmentStatus.DELETING,
    (AssignmentStatus.ERROR, "remove"): AssignmentStatus.DELETING,
}

# Long-running operations: a task claims one (running), then completes it.
OPERATION_TRANSITIONS = {
    (OperationStatus.NOT_STARTED, "start"): OperationStatus.RUNNING,
    (OperationStatus.RUNNING, "succeed"): OperationStatus.SUCCEEDED,
    (OperationStatus.RUNNING, "fail"): OperationStatus.FAILED,
}
