"""GDAP relationships: the state table, request validation, and each transition.

Each service: one transaction, a permission check through the access resolver (on the
partner's tenant for partner acts, on the customer's for customer acts), exactly one
audit event, and mail queued on commit. activate, decline, expire_request and end_grant
run inside the invitation services, which check permission and write the audit event.
"""

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
from relationships.rules import AUTO_EXTEND, auto_extend_refusal, validate_request
from relationships.services import _steps
from relationships.states import GDAP_TRANSITIONS
from roles import access
from roles.notify import notify_admins
from roles.permissions import PARTNERS_MANAGE
from tenants.models import Membership

Status = DelegatedAdminRelationship.Status


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


@transaction.atomic
def lock_for_approval(*, by, partner, relationship_id, email: str = ""):
    """Send a created relationship for approval: returns (invitation, approval_url)."""
    from relationships.services import invitations

    by_access = access.require(by, partner, PARTNERS_MANAGE)
    rel = _lock(partner, relationship_id)
    transition(rel, "lock_for_approval", GDAP_TRANSITIONS)
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


@transaction.atomic
def terminate_relationship(*, by, tenant, relationship_id) -> DelegatedAdminRelationship:
    """End an active relationship, by the partner or by the customer."""
    by_access = access.require(by, tenant, PARTNERS_MANAGE)
    rel = selectors.get_relationship_or_404(tenant, relationship_id, lock=True)
    if rel.status_at(timezone.now()) != Status.ACTIVE:
        raise InvalidState(_("Only an active relationship can be terminated."))
    _steps.end_grant(rel)
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
def set_auto_extend(*, by, tenant, relationship_id, enabled: bool) -> DelegatedAdminRelationship:
    """Switch auto-extend (180 days) on or off on an active relationship, by either side.

    The partner decides for its relationships (as in Partner Center); the customer's own
    administrators for those it approved (delegated roles never count). Global
    Administrator blocks switching on. The end clients read stays where it is.
    """
    by_access = access.require(by, tenant, PARTNERS_MANAGE)
    rel = selectors.get_relationship_or_404(tenant, relationship_id, lock=True)
    side = "partner" if rel.partner_id == tenant.pk else "customer"
    if side == "customer":
        by_access = access.require_own(by, tenant, PARTNERS_MANAGE)
    now = timezone.now()
    if rel.status_at(now) != Status.ACTIVE:
        raise InvalidState(_("Auto-extend can be changed only while the relationship is active."))
    wanted = AUTO_EXTEND if enabled else timedelta(0)
    if rel.auto_extend_duration == wanted:
        return rel
    if enabled:
        refusal = auto_extend_refusal(rel.approved_roles.all())
        if refusal:
            raise ValidationError(
                refusal, code="auto_extend_blocked", errors={"auto_extend_duration": [refusal]}
            )
    before = rel.auto_extend_duration
    # An end auto-extend already moved (the sweep not yet run) stays the end clients read.
    rel.end_at = rel.effective_end(now)
    rel.auto_extend_duration = wanted
    rel.save(update_fields=["end_at", "auto_extend_duration", "last_modified_at"])
    record(
        "gdap.auto_extend_changed",
        actor=by,
        target_tenant=rel.customer,
        acting_tenant=tenant,
        obj=rel,
        before={"auto_extend_days": before.days},
        after={"auto_extend_days": wanted.days, "by": side, "end_at": rel.end_at},
        access=by_access,
    )
    other = rel.customer if side == "partner" else rel.partner
    notify_admins(
        tenant=other,
        permission=PARTNERS_MANAGE,
        template="gdap_auto_extend_changed",
        context=_mail_context(rel, enabled=enabled, changed_by_name=tenant.name),
    )
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
        _steps.end_grant(rel)
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
