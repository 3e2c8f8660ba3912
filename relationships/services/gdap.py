"""GDAP relationships: the state table, request validation, and each transition.

Each service: one transaction, a permission check through the access resolver (on the
partner's tenant for partner acts, on the customer's for customer acts), exactly one
audit event, and mail queued on commit. activate, decline, expire_request and end_grant
run inside the invitation services, which check permission and write the audit event.

Requests (lockForApproval, terminate) are recorded as RelationshipRequest rows whichever
surface asked; removing Global Administrator from an active relationship is a
RelationshipOperation (long-running in Microsoft's API: `deferred` leaves it to a task).
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record
from core.errors import InvalidState, NotFound, ValidationError
from core.scoping import get_in_tenant_or_404
from core.statemachine import transition
from relationships import selectors
from relationships.models import (
    DelegatedAdminRelationship,
    Invitation,
    RelationshipOperation,
    RelationshipRequest,
)
from relationships.rules import (
    AUTO_EXTEND,
    check_auto_extend,
    check_customer,
    require_partner,
    roles_to_remove_while_active,
    validate_request,
)
from relationships.services import _operations, _steps
from relationships.states import GDAP_TRANSITIONS
from roles import access, catalog
from roles.notify import notify_admins
from roles.permissions import PARTNERS_MANAGE
from tenants.models import Membership, MembershipRole, Tenant

Status = DelegatedAdminRelationship.Status


@contextmanager
def _unique_display_name():
    """A partner's relationships have distinct display names: a clash is a 400."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise ValidationError(
            _("A relationship with this display name exists."),
            errors={"display_name": [_("Already in use.")]},
        ) from None


def _lock(partner, relationship_id) -> DelegatedAdminRelationship:
    return get_in_tenant_or_404(
        DelegatedAdminRelationship.objects.select_for_update(of=("self",)),
        partner,
        tenant_field="partner",
        pk=relationship_id,
    )


def _mail_context(rel, **extra) -> dict:
    return {
        "relationship": rel.display_name,
        "partner_name": rel.partner.name,
        "customer_name": rel.customer.name if rel.customer else "",
        "end_at": rel.end_at,
        "roles": catalog.lazy_names(rel.approved_roles.all())
        or catalog.lazy_names(rel.requested_roles.all()),
        **extra,
    }


@transaction.atomic
def create_relationship(
    *,
    by,
    partner,
    display_name: str,
    duration: timedelta,
    role_ids,
    auto_extend_duration: timedelta = timedelta(0),
    customer=None,
) -> DelegatedAdminRelationship:
    """Create a GDAP relationship in status created (editable until locked for approval)."""
    by_access = access.require_own(by, partner, PARTNERS_MANAGE)
    require_partner(partner)
    name, roles = validate_request(
        display_name=display_name,
        duration=duration,
        role_ids=role_ids,
        auto_extend_duration=auto_extend_duration,
    )
    check_customer(partner, customer)
    with _unique_display_name():
        rel = DelegatedAdminRelationship.objects.create(
            partner=partner,
            customer=customer,
            display_name=name,
            duration=duration,
            auto_extend_duration=auto_extend_duration,
            created_by=by,
        )
    rel.requested_roles.set(roles)
    record(
        "gdap.created",
        actor=by,
        target_tenant=partner,
        obj=rel,
        after={
            "display_name": name,
            "duration_days": duration.days,
            "auto_extend_days": auto_extend_duration.days,
            "roles": [r.name for r in roles],
            "customer": str(customer.pk) if customer else None,
        },
        access=by_access,
    )
    return rel


@transaction.atomic
def update_relationship(
    *, by, partner, relationship_id, expected_version=None, deferred: bool = False, **changes
) -> tuple[DelegatedAdminRelationship, RelationshipOperation | None]:
    """Change a relationship: anything while created; while active, auto-extend, and the
    removal of Global Administrator (an operation, left to a task when `deferred`).

    Returns the relationship and the operation, if one was made. A change that leaves a
    value as it is, is no change: clients may send back what they read.
    """
    by_access = access.require_own(by, partner, PARTNERS_MANAGE)
    rel = _lock(partner, relationship_id)
    _steps.check_version(rel, expected_version)
    status = rel.status_at(timezone.now())
    if status == Status.CREATED:
        return _update_created(by, by_access, partner, rel, changes), None
    if status == Status.ACTIVE:
        return _update_active(by, by_access, rel, changes, deferred=deferred)
    raise InvalidState(
        _(
            "Only a relationship in status created can be edited; while it is active, only "
            "its auto-extend and the removal of Global Administrator."
        )
    )


def _update_created(by, by_access, partner, rel, changes) -> DelegatedAdminRelationship:
    current_roles = [r.id for r in rel.requested_roles.all()]
    before = {
        "display_name": rel.display_name,
        "duration_days": rel.duration.days,
        "auto_extend_days": rel.auto_extend_duration.days,
        "roles": sorted(str(r) for r in current_roles),
        "customer": str(rel.customer_id) if rel.customer_id else None,
    }
    name, roles = validate_request(
        display_name=changes.get("display_name", rel.display_name),
        duration=changes.get("duration", rel.duration),
        role_ids=changes.get("role_ids", current_roles),
        auto_extend_duration=changes.get("auto_extend_duration", rel.auto_extend_duration),
    )
    customer = changes.get("customer", rel.customer)
    check_customer(partner, customer)
    duration = changes.get("duration", rel.duration)
    auto_extend = changes.get("auto_extend_duration", rel.auto_extend_duration)
    after = {
        "display_name": name,
        "duration_days": duration.days,
        "auto_extend_days": auto_extend.days,
        "roles": sorted(str(r.id) for r in roles),
        "customer": str(customer.pk) if customer else None,
    }
    if after == before and duration == rel.duration:
        return rel  # the same values again: nothing to write
    rel.customer = customer
    rel.display_name = name
    rel.duration = duration
    rel.auto_extend_duration = auto_extend
    with _unique_display_name():
        rel.save()
    rel.requested_roles.set(roles)
    record(
        "gdap.updated",
        actor=by,
        target_tenant=partner,
        obj=rel,
        before=before,
        after=after,
        access=by_access,
    )
    return rel


# What a client may send back unchanged while the relationship is active.
_FIXED_WHILE_ACTIVE = {
    "display_name": lambda rel: rel.display_name,
    "duration": lambda rel: rel.duration,
    "customer": lambda rel: rel.customer,
}


def _update_active(by, by_access, rel, changes, *, deferred):
    for field, current in _FIXED_WHILE_ACTIVE.items():
        if field in changes and changes[field] != current(rel):
            raise InvalidState(
                _(
                    "While a relationship is active, only its auto-extend can change and "
                    "Global Administrator can be removed."
                )
            )
    approved = list(rel.approved_roles.all())
    remove = set()
    if "role_ids" in changes:
        remove = roles_to_remove_while_active([r.id for r in approved], changes["role_ids"])
    auto_extend = changes.get("auto_extend_duration", rel.auto_extend_duration)
    check_auto_extend(auto_extend, approved)  # Global Administrator stays until removed
    before_auto_extend = _apply_auto_extend(rel, auto_extend)
    if not remove:
        if before_auto_extend is not None:
            _auto_extend_changed(
                rel, by=by, by_access=by_access, tenant=rel.partner, before=before_auto_extend
            )
        return rel, None  # the same values again change nothing and make no event
    operation = RelationshipOperation.objects.create(
        relationship=rel,
        kind=RelationshipOperation.Kind.RELATIONSHIP_UPDATE,
        data={
            "remove_role_ids": sorted(str(r) for r in remove),
            "role_ids": [str(r.id) for r in approved if r.id not in remove],
        },
        requested_by=by,
    )
    record(
        "gdap.active_updated",
        actor=by,
        target_tenant=rel.customer,
        acting_tenant=rel.partner,
        obj=rel,
        before={"auto_extend_days": (before_auto_extend or auto_extend).days},
        after={
            "auto_extend_days": auto_extend.days,
            "operation": str(operation.pk),
            "remove_roles": [r.name for r in approved if r.id in remove],
        },
        access=by_access,
    )
    _operations.start(operation, deferred=deferred)
    return rel, operation


@transaction.atomic
def delete_relationship(*, by, partner, relationship_id, expected_version=None) -> None:
    """Delete a relationship that is still created (never sent to the customer)."""
    by_access = access.require_own(by, partner, PARTNERS_MANAGE)
    rel = _lock(partner, relationship_id)
    _steps.check_version(rel, expected_version)
    if rel.status != Status.CREATED:
        raise InvalidState(_("Only a relationship in status created can be deleted."))
    record(
        "gdap.deleted",
        actor=by,
        target_tenant=partner,
        obj=rel,
        before={
            "display_name": rel.display_name,
            "roles": sorted(r.name for r in rel.requested_roles.all()),
            "customer": str(rel.customer_id) if rel.customer_id else None,
        },
        access=by_access,
    )
    rel.delete()


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


def _apply_auto_extend(rel, wanted) -> timedelta | None:
    """Set the relationship's auto-extend; the previous value, or None if it was already so.

    An end auto-extend already moved (the sweep not yet run) stays the end clients read.
    """
    before = rel.auto_extend_duration
    if before == wanted:
        return None
    rel.end_at = rel.effective_end(timezone.now())
    rel.auto_extend_duration = wanted
    rel.save(update_fields=["end_at", "auto_extend_duration", "last_modified_at"])
    return before


def _auto_extend_changed(rel, *, by, by_access, tenant, before) -> None:
    """The audit event of an auto-extend switch, and the other side's mail."""
    side = "partner" if rel.partner_id == tenant.pk else "customer"
    record(
        "gdap.auto_extend_changed",
        actor=by,
        target_tenant=rel.customer,
        acting_tenant=tenant,
        obj=rel,
        before={"auto_extend_days": before.days},
        after={"auto_extend_days": rel.auto_extend_duration.days, "by": side, "end_at": rel.end_at},
        access=by_access,
    )
    notify_admins(
        tenant=rel.customer if side == "partner" else rel.partner,
        permission=PARTNERS_MANAGE,
        template="gdap_auto_extend_changed",
        context=_mail_context(
            rel, enabled=bool(rel.auto_extend_duration), changed_by_name=tenant.name
        ),
    )


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


def _notify_both(rel, template: str, **extra) -> None:
    context = _mail_context(rel, **extra)
    for tenant in (rel.partner, rel.customer):
        if tenant is not None:
            notify_admins(
                tenant=tenant, permission=PARTNERS_MANAGE, template=template, context=context
            )
