"""GDAP relationships' requests and transitions: sending for approval, terminating (by the
customer, the partner or support), auto-extend, and a customer removing a partner's roles."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record
from core.errors import InvalidState, NotFound, ValidationError
from core.statemachine import transition
from relationships import selectors
from relationships.models import (
    DelegatedAdminRelationship,
    Invitation,
    RelationshipRequest,
)
from relationships.rules import (
    AUTO_EXTEND,
    check_auto_extend,
)
from relationships.services import _steps
from relationships.services.gdap.edits import (
    Status,
    _apply_auto_extend,
    _auto_extend_changed,
    _lock,
    _notify_both,
)
from relationships.states import GDAP_TRANSITIONS
from roles import access
from roles.permissions import PARTNERS_MANAGE
from tenants.models import Membership, MembershipRole, Tenant


@dataclass
class RequestResult:
    """What submit_request did: the request row, the relationship, and for lockForApproval
    the invitation and its (token) approval link."""

    request: RelationshipRequest
    relationship: DelegatedAdminRelationship
    invitation: Invitation | None = None
    approval_url: str | None = None


@transaction.atomic
def submit_request(*, by, tenant, relationship_id, action: str, email: str = "") -> RequestResult:
    """A request on a relationship: lock_for_approval (the partner) or terminate (either
    side). Carried out at once; the request row records it."""
    if action == RelationshipRequest.Action.LOCK_FOR_APPROVAL:
        return _lock_for_approval(
            by=by, partner=tenant, relationship_id=relationship_id, email=email
        )
    if action == RelationshipRequest.Action.TERMINATE:
        return _terminate(by=by, tenant=tenant, relationship_id=relationship_id)
    raise ValidationError(
        _("The action is lockForApproval or terminate."), errors={"action": [_("Unknown.")]}
    )


def _new_request(rel, action, *, by, tenant) -> RelationshipRequest:
    return RelationshipRequest.objects.create(
        relationship=rel,
        action=action,
        status=RelationshipRequest.Status.SUCCEEDED,
        requested_by=by,
        requested_by_tenant=tenant,
    )


@transaction.atomic
def lock_for_approval(*, by, partner, relationship_id, email: str = ""):
    """Send a created relationship for approval: returns (invitation, approval_url)."""
    result = _lock_for_approval(
        by=by, partner=partner, relationship_id=relationship_id, email=email
    )
    return result.invitation, result.approval_url


def _lock_for_approval(*, by, partner, relationship_id, email) -> RequestResult:
    from relationships.services import invitations

    by_access = access.require_own(by, partner, PARTNERS_MANAGE)
    rel = _lock(partner, relationship_id)
    transition(rel, "lock_for_approval", GDAP_TRANSITIONS)
    rel.save(update_fields=["status", "last_modified_at"])
    invitation, raw = invitations.create_for_relationship(by=by, rel=rel, email=email)
    request = _new_request(rel, RelationshipRequest.Action.LOCK_FOR_APPROVAL, by=by, tenant=partner)
    record(
        "gdap.locked_for_approval",
        actor=by,
        target_tenant=rel.customer,
        acting_tenant=partner,
        obj=rel,
        before={"status": Status.CREATED},
        after={"status": rel.status, "invitation": str(invitation.pk), "request": str(request.pk)},
        access=by_access,
    )
    return RequestResult(
        request=request,
        relationship=rel,
        invitation=invitation,
        approval_url=invitations.approval_url(raw),
    )


@transaction.atomic
def terminate_relationship(*, by, tenant, relationship_id) -> DelegatedAdminRelationship:
    """End an active relationship, by the partner or by the customer."""
    return _terminate(by=by, tenant=tenant, relationship_id=relationship_id).relationship


def _terminate(*, by, tenant, relationship_id) -> RequestResult:
    by_access = access.require_own(by, tenant, PARTNERS_MANAGE)
    rel = selectors.get_relationship_or_404(tenant, relationship_id, lock=True)
    if rel.status_at(timezone.now()) != Status.ACTIVE:
        raise InvalidState(_("Only an active relationship can be terminated."))
    _steps.end_grant(rel)
    request = _new_request(rel, RelationshipRequest.Action.TERMINATE, by=by, tenant=tenant)
    side = "partner" if tenant.pk == rel.partner_id else "customer"
    record(
        "gdap.terminated",
        actor=by,
        target_tenant=rel.customer,
        acting_tenant=tenant,
        obj=rel,
        before={"status": Status.ACTIVE},
        after={"status": rel.status, "by": side, "request": str(request.pk)},
        access=by_access,
    )
    _notify_both(rel, "gdap_terminated", ended_by_name=tenant.name)
    return RequestResult(request=request, relationship=rel)


@transaction.atomic
def terminate_relationship_as_support(*, by, relationship_id) -> DelegatedAdminRelationship:
    """Support staff end an active relationship (on the customer's written request)."""
    access.require_staff(by, "relationships.change_delegatedadminrelationship")
    rel = (
        DelegatedAdminRelationship.objects.select_for_update(of=("self",))
        .select_related("partner", "customer")
        .filter(pk=relationship_id)
        .first()
    )
    if rel is None:
        raise NotFound()
    if rel.status_at(timezone.now()) != Status.ACTIVE:
        raise InvalidState(_("Only an active relationship can be terminated."))
    _steps.end_grant(rel)
    record(
        "gdap.terminated",
        actor=by,
        target_tenant=rel.customer,
        obj=rel,
        before={"status": Status.ACTIVE},
        after={"status": rel.status, "by": "support"},
    )
    _notify_both(rel, "gdap_terminated", ended_by_name=gettext_lazy("Liaison support"))
    return rel


@transaction.atomic
def set_auto_extend(*, by, tenant, relationship_id, enabled: bool) -> DelegatedAdminRelationship:
    """Switch auto-extend (180 days) on or off on an active relationship, by either side.

    The partner decides for its relationships (as in Partner Center); the customer's own
    administrators for those it approved. Each side acts for itself: no delegated grant
    reaches this. Global Administrator blocks switching on. The end clients read stays.
    """
    by_access = access.require_own(by, tenant, PARTNERS_MANAGE)
    rel = selectors.get_relationship_or_404(tenant, relationship_id, lock=True)
    if rel.status_at(timezone.now()) != Status.ACTIVE:
        raise InvalidState(_("Auto-extend can be changed only while the relationship is active."))
    wanted = AUTO_EXTEND if enabled else timedelta(0)
    check_auto_extend(wanted, rel.approved_roles.all())
    before = _apply_auto_extend(rel, wanted)
    if before is not None:
        _auto_extend_changed(rel, by=by, by_access=by_access, tenant=tenant, before=before)
    return rel


@transaction.atomic
def remove_partner_roles(*, by, customer, partner_id) -> dict:
    """Customer's "Remove roles": end every admin role the partner holds in the tenant.

    Terminates the partner's active delegated grants, clears the roles of its partner user
    accounts and takes back every role its staff gave through delegated access; the
    partner relationship and its other types stay. The customer's own act.
    """
    by_access = access.require_own(by, customer, PARTNERS_MANAGE)
    now = timezone.now()
    grants = [
        rel
        for rel in DelegatedAdminRelationship.objects.select_for_update(of=("self",))
        .select_related("partner", "customer")
        .filter(customer=customer, partner_id=partner_id, status=Status.ACTIVE)
        if rel.status_at(now) == Status.ACTIVE
    ]
    # PostgreSQL refuses FOR UPDATE with DISTINCT: lock the rows a subquery picks.
    holding_roles = Membership.objects.filter(
        tenant=customer, partner_tenant_id=partner_id, roles__isnull=False
    ).values("pk")
    accounts = list(
        Membership.objects.select_for_update(of=("self",))
        .filter(pk__in=holding_roles)
        .select_related("user", "partner_tenant")
    )
    given = MembershipRole.objects.filter(
        membership__tenant=customer, delegated_partner_id=partner_id
    ).select_related("membership__user", "roledefinition")
    given_roles = [f"{g.membership.user.email}: {g.roledefinition.name}" for g in given]
    if not grants and not accounts and not given_roles:
        raise InvalidState(_("This partner holds no admin roles in your tenant."))
    for rel in grants:
        _steps.end_grant(rel)
    for membership in accounts:
        membership.roles.clear()
    given.delete()
    partner = Tenant.objects.get(pk=partner_id)
    record(
        "partner.roles_removed",
        actor=by,
        target_tenant=customer,
        obj=partner,
        before={
            "relationships": [r.display_name for r in grants],
            "partner_user_accounts": [m.user.email for m in accounts],
            "roles_given_through_delegated_access": sorted(given_roles),
        },
        after={"status": Status.TERMINATED},
        access=by_access,
    )
    for rel in grants:
        _notify_both(rel, "gdap_terminated", ended_by_name=customer.name)
    return {"relationships": len(grants), "partner_user_accounts": len(accounts)}
