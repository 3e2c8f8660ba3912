"""GDAP relationships: the state table, request validation, and each transition.

Each service: one transaction, a permission check through the access resolver (on the
partner's tenant for partner acts, on the customer's for customer acts), exactly one
audit event, and mail queued on commit. activate, decline, expire_request and end_grant
run inside the invitation services, which check permission and write the audit event.
"""

import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from core.errors import InvalidState, ValidationError
from core.scoping import get_in_tenant_or_404
from core.statemachine import transition
from relationships import selectors
from relationships.models import DelegatedAdminRelationship
from roles import access, catalog
from roles.notify import notify_admins
from roles.permissions import PARTNERS_MANAGE
from tenants.models import Membership

Status = DelegatedAdminRelationship.Status

TRANSITIONS = {
    (Status.CREATED, "lock_for_approval"): Status.APPROVAL_PENDING,
    (Status.APPROVAL_PENDING, "approve"): Status.ACTIVE,
    (Status.APPROVAL_PENDING, "decline"): Status.DECLINED,
    (Status.APPROVAL_PENDING, "expire"): Status.EXPIRED,
    (Status.ACTIVE, "expire"): Status.EXPIRED,
    (Status.ACTIVE, "terminate"): Status.TERMINATED,
}

MIN_DURATION = timedelta(days=1)
MAX_DURATION = timedelta(days=730)
AUTO_EXTEND_CHOICES = (timedelta(0), timedelta(days=180))


def validate_request(*, display_name, duration, role_ids, auto_extend_duration) -> tuple:
    """Check a GDAP request (shared with invitations); returns (name, roles)."""
    errors: dict[str, list[str]] = {}
    name = (display_name or "").strip()
    if not name:
        errors["display_name"] = [_("A display name is required.")]
    elif len(name) > 50:
        errors["display_name"] = [_("At most 50 characters.")]
    if duration is None or not (MIN_DURATION <= duration <= MAX_DURATION):
        errors["duration"] = [_("The duration runs from 1 to 730 days (P1D to P730D).")]
    elif duration % timedelta(days=1):
        errors["duration"] = [_("The duration is a whole number of days.")]
    if auto_extend_duration not in AUTO_EXTEND_CHOICES:
        errors["auto_extend_duration"] = [_("Auto-extend is PT0S (off) or P180D.")]
    try:
        role_ids = list(dict.fromkeys(uuid.UUID(str(r)) for r in (role_ids or [])))
    except ValueError:
        role_ids = [None]  # reported below as an unknown role
    roles = catalog.get_roles(role_ids)
    if not role_ids:
        errors["role_definition_ids"] = [_("Choose at least one role.")]
    elif len(roles) != len(role_ids):
        errors["role_definition_ids"] = [_("Unknown role definition id.")]
    elif any(not r.gdap_assignable for r in roles):
        names = ", ".join(r.name for r in roles if not r.gdap_assignable)
        errors["role_definition_ids"] = [
            _("Not assignable through GDAP: %(names)s.") % {"names": names}
        ]
    elif auto_extend_duration and any(r.blocks_auto_extend for r in roles):
        errors["auto_extend_duration"] = [
            _("Auto-extend is not available when Global Administrator is requested.")
        ]
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], errors=errors)
    return name, roles


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
        "roles": [r.name for r in rel.approved_roles.all()]
        or [r.name for r in rel.requested_roles.all()],
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
    by_access = access.require(by, partner, PARTNERS_MANAGE)
    name, roles = validate_request(
        display_name=display_name,
        duration=duration,
        role_ids=role_ids,
        auto_extend_duration=auto_extend_duration,
    )
    if customer is not None and customer.pk == partner.pk:
        raise ValidationError(
            _("A partner cannot ask for roles in its own tenant."),
            errors={"customer": [_("Choose another tenant.")]},
        )
    try:
        with transaction.atomic():
            rel = DelegatedAdminRelationship.objects.create(
                partner=partner,
                customer=customer,
                display_name=name,
                duration=duration,
                auto_extend_duration=auto_extend_duration,
                created_by=by,
            )
    except IntegrityError:
        raise ValidationError(
            _("A relationship with this display name exists."),
            errors={"display_name": [_("Already in use.")]},
        ) from None
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
def update_relationship(*, by, partner, relationship_id, **changes) -> DelegatedAdminRelationship:
    """Change a relationship while it is still `created`."""
    by_access = access.require(by, partner, PARTNERS_MANAGE)
    rel = _lock(partner, relationship_id)
    if rel.status != Status.CREATED:
        raise InvalidState(_("Only a relationship in status created can be edited."))
    current_roles = [r.id for r in rel.requested_roles.all()]
    before = {
        "display_name": rel.display_name,
        "duration_days": rel.duration.days,
        "auto_extend_days": rel.auto_extend_duration.days,
        "roles": sorted(str(r) for r in current_roles),
    }
    name, roles = validate_request(
        display_name=changes.get("display_name", rel.display_name),
        duration=changes.get("duration", rel.duration),
        role_ids=changes.get("role_ids", current_roles),
        auto_extend_duration=changes.get("auto_extend_duration", rel.auto_extend_duration),
    )
    rel.display_name = name
    rel.duration = changes.get("duration", rel.duration)
    rel.auto_extend_duration = changes.get("auto_extend_duration", rel.auto_extend_duration)
    if "customer" in changes:
        rel.customer = changes["customer"]
    try:
        with transaction.atomic():
            rel.save()
    except IntegrityError:
        raise ValidationError(
            _("A relationship with this display name exists."),
            errors={"display_name": [_("Already in use.")]},
        ) from None
    rel.requested_roles.set(roles)
    after = {
        "display_name": rel.display_name,
        "duration_days": rel.duration.days,
        "auto_extend_days": rel.auto_extend_duration.days,
        "roles": sorted(str(r.id) for r in roles),
    }
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


@transaction.atomic
def lock_for_approval(*, by, partner, relationship_id, email: str = ""):
    """Send a created relationship for approval: returns (invitation, approval_url)."""
    from relationships.services import invitations

    by_access = access.require(by, partner, PARTNERS_MANAGE)
    rel = _lock(partner, relationship_id)
    transition(rel, "lock_for_approval", TRANSITIONS)
    rel.save(update_fields=["status", "last_modified_at"])
    invitation, raw = invitations.create_for_relationship(by=by, rel=rel, email=email)
    record(
        "gdap.locked_for_approval",
        actor=by,
        target_tenant=rel.customer,
        acting_tenant=partner,
        obj=rel,
        before={"status": Status.CREATED},
        after={"status": rel.status, "invitation": str(invitation.pk)},
        access=by_access,
    )
    return invitation, invitations.approval_url(raw)


def expire_request(rel: DelegatedAdminRelationship) -> None:
    """An approval request whose invitation expired or was withdrawn."""
    transition(rel, "expire", TRANSITIONS)
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
    transition(rel, "approve", TRANSITIONS)
    now = timezone.now()
    rel.customer = customer
    rel.activated_at = now
    rel.end_at = now + rel.duration
    rel.save(update_fields=["status", "customer", "activated_at", "end_at", "last_modified_at"])
    roles = [requested[i] for i in approved_ids]
    rel.approved_roles.set(roles)
    return roles


def decline(rel: DelegatedAdminRelationship) -> None:
    transition(rel, "decline", TRANSITIONS)
    rel.ended_at = timezone.now()
    rel.save(update_fields=["status", "ended_at", "last_modified_at"])


def end_grant(rel: DelegatedAdminRelationship, event: str = "terminate") -> None:
    """Terminate (or expire) an active relationship and drop its assignments' effect."""
    transition(rel, event, TRANSITIONS)
    rel.ended_at = timezone.now()
    rel.save(update_fields=["status", "ended_at", "last_modified_at"])


@transaction.atomic
def terminate_relationship(*, by, tenant, relationship_id) -> DelegatedAdminRelationship:
    """End an active relationship, by the partner or by the customer."""
    by_access = access.require(by, tenant, PARTNERS_MANAGE)
    rel = selectors.get_relationship_or_404(tenant, relationship_id, lock=True)
    if rel.status_at(timezone.now()) != Status.ACTIVE:
        raise InvalidState(_("Only an active relationship can be terminated."))
    end_grant(rel)
    side = "partner" if tenant.pk == rel.partner_id else "customer"
    record(
        "gdap.terminated",
        actor=by,
        target_tenant=rel.customer,
        acting_tenant=tenant,
        obj=rel,
        before={"status": Status.ACTIVE},
        after={"status": rel.status, "by": side},
        access=by_access,
    )
    _notify_both(rel, "gdap_terminated", ended_by_name=tenant.name)
    return rel


@transaction.atomic
def remove_partner_roles(*, by, customer, partner_id) -> dict:
    """Customer's "Remove roles": end every admin role the partner holds in the tenant.

    Terminates the partner's active delegated grants and clears the roles of its partner
    user accounts; the partner relationship and its other types stay.
    """
    by_access = access.require(by, customer, PARTNERS_MANAGE)
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
    if not grants and not accounts:
        raise InvalidState(_("This partner holds no admin roles in your tenant."))
    for rel in grants:
        end_grant(rel)
    for membership in accounts:
        membership.roles.clear()
    partner = grants[0].partner if grants else accounts[0].partner_tenant
    record(
        "partner.roles_removed",
        actor=by,
        target_tenant=customer,
        obj=partner,
        before={
            "relationships": [r.display_name for r in grants],
            "partner_user_accounts": [m.user.email for m in accounts],
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
