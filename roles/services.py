"""GDAP state changes: delegated admin relationships and their access assignments.

Each service: one transaction, a permission check through the access resolver (on the
partner's tenant for partner acts, on the customer's for customer acts), exactly one
audit event, and mail queued on commit.
"""

import uuid
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record, record_system_many
from core.errors import InvalidState, ValidationError
from core.notify import notify_admins, recipients_by_tenant
from core.scoping import get_in_tenant_or_404
from core.statemachine import transition
from notifications.services import queue_notices
from roles import access, catalog, selectors
from roles.models import AccessAssignment, DelegatedAdminRelationship
from roles.permissions import PARTNERS_MANAGE
from tenants.models import SecurityGroup

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
REMINDER_DAYS = (30, 7, 1)


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
    from partners import invitations

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
    access.forget()
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
    access.forget()


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
    from tenants.models import Membership

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
    access.forget()
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


@transaction.atomic
def create_access_assignment(
    *, by, partner, relationship_id, security_group_id, role_ids
) -> AccessAssignment:
    """Give a partner security group some of the relationship's approved roles."""
    by_access = access.require(by, partner, PARTNERS_MANAGE)
    rel = _lock(partner, relationship_id)
    if rel.status_at(timezone.now()) != Status.ACTIVE:
        raise InvalidState(_("Access can be assigned only while the relationship is active."))
    group = get_in_tenant_or_404(SecurityGroup.objects.all(), partner, pk=security_group_id)
    approved = {r.id: r for r in rel.approved_roles.all()}
    role_ids = list(dict.fromkeys(role_ids or []))
    if not role_ids or any(i not in approved for i in role_ids):
        raise ValidationError(
            _("Roles must be among the roles the customer approved."),
            errors={"access_details": [_("Not an approved role of this relationship.")]},
        )
    try:
        with transaction.atomic():
            assignment = AccessAssignment.objects.create(relationship=rel, security_group=group)
    except IntegrityError:
        raise ValidationError(
            _("This group already has an assignment in this relationship."),
            errors={"access_container": [_("Already assigned.")]},
        ) from None
    roles = [approved[i] for i in role_ids]
    assignment.roles.set(roles)
    access.forget()
    record(
        "gdap.access_assigned",
        actor=by,
        target_tenant=rel.customer,
        acting_tenant=partner,
        obj=assignment,
        after={"group": group.name, "roles": [r.name for r in roles], "relationship": str(rel.pk)},
        access=by_access,
    )
    return assignment


@transaction.atomic
def delete_access_assignment(*, by, partner, relationship_id, assignment_id) -> None:
    """Remove a group's access in a relationship."""
    by_access = access.require(by, partner, PARTNERS_MANAGE)
    rel = _lock(partner, relationship_id)
    assignment = get_in_tenant_or_404(
        AccessAssignment.objects.select_related("security_group"),
        rel,
        tenant_field="relationship",
        pk=assignment_id,
    )
    record(
        "gdap.access_removed",
        actor=by,
        target_tenant=rel.customer,
        acting_tenant=partner,
        obj=assignment,
        before={
            "group": assignment.security_group.name,
            "roles": sorted(r.name for r in assignment.roles.all()),
        },
        access=by_access,
    )
    assignment.delete()
    access.forget()


def _notify_both(rel, template: str, **extra) -> None:
    context = _mail_context(rel, **extra)
    for tenant in (rel.partner, rel.customer):
        if tenant is not None:
            notify_admins(
                tenant=tenant, permission=PARTNERS_MANAGE, template=template, context=context
            )


def _notice_batch(rels, template: str, extra: dict | None = None) -> int:
    """Queue one notice per partner and customer admin of each relationship (bulk)."""
    tenant_ids = {rel.partner_id for rel in rels} | {rel.customer_id for rel in rels}
    recipients = recipients_by_tenant(tenant_ids, PARTNERS_MANAGE)
    notices = []
    for rel in rels:
        context = {
            "relationship": rel.display_name,
            "partner_name": rel.partner.name,
            "customer_name": rel.customer.name if rel.customer else "",
            "end_at": rel.end_at,
            **(extra or {}).get(rel.pk, {}),
        }
        for tenant_id in (rel.partner_id, rel.customer_id):
            for email, language in recipients.get(tenant_id, []):
                notices.append((email, language, context))
    return queue_notices(template=template, notices=notices)


def sweep_due(*, batch_size: int = 1000, at=None) -> dict:
    """Expire, or auto-extend, active relationships whose end has passed (one batch).

    Rows are locked with SKIP LOCKED on PostgreSQL, so two sweepers never take the same
    row, and only still-active rows past their end are taken, so a second run changes
    nothing. The batch is written in bulk: one UPDATE per kind, one INSERT of audit events,
    one INSERT of notices (rendered when sent).
    """
    at = at or timezone.now()
    if connection.vendor == "postgresql":
        return _sweep_due_sql(at=at, batch_size=batch_size)
    with transaction.atomic():
        rows = list(
            DelegatedAdminRelationship.objects.filter(status=Status.ACTIVE, end_at__lte=at)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("partner", "customer")
            .order_by("end_at")[:batch_size]
        )
        expired = [rel for rel in rows if not rel.auto_extend_duration]
        extended = [rel for rel in rows if rel.auto_extend_duration]
        if expired:
            DelegatedAdminRelationship.objects.filter(pk__in=[r.pk for r in expired]).update(
                status=Status.EXPIRED, ended_at=at, last_modified_at=at
            )
            record_system_many(
                "gdap.expired",
                [
                    {
                        "target_tenant": rel.customer_id,
                        "acting_tenant": rel.partner_id,
                        "obj": rel,
                        "before": {"status": Status.ACTIVE},
                        "after": {"status": Status.EXPIRED},
                    }
                    for rel in expired
                ],
            )
            _notice_batch(expired, "gdap_expired")
        if extended:
            previous = {rel.pk: rel.end_at for rel in extended}
            for rel in extended:
                rel.end_at = rel.effective_end(at)
                rel.last_reminder_days = None
                rel.last_modified_at = at
            DelegatedAdminRelationship.objects.bulk_update(
                extended, ["end_at", "last_reminder_days", "last_modified_at"], batch_size=1000
            )
            record_system_many(
                "gdap.auto_extended",
                [
                    {
                        "target_tenant": rel.customer_id,
                        "acting_tenant": rel.partner_id,
                        "obj": rel,
                        "before": {"end_at": previous[rel.pk]},
                        "after": {"end_at": rel.end_at},
                    }
                    for rel in extended
                ],
            )
            _notice_batch(extended, "gdap_extended")
        if rows:
            access.forget()
    return {"expired": len(expired), "extended": len(extended)}


@transaction.atomic
def _sweep_due_sql(*, at, batch_size: int) -> dict:
    from notifications.services import enqueue_batch
    from roles.sweep_sql import sweep_batch

    expired, extended, notice_ids = sweep_batch(at=at, limit=batch_size)
    if notice_ids:
        transaction.on_commit(lambda: enqueue_batch(notice_ids))
    if expired or extended:
        access.forget()
    return {"expired": expired, "extended": extended}


def send_reminders(*, at=None, batch_size: int = 1000) -> int:
    """Reminders at 30, 7 and 1 days before the end; each sent once per end date."""
    at = at or timezone.now()
    sent = 0
    # The most urgent first: a relationship inside the 7-day window gets that reminder and
    # is then skipped by the 30-day pass, so one run sends at most one reminder per row.
    for days in sorted(REMINDER_DAYS):
        with transaction.atomic():
            rels = list(
                DelegatedAdminRelationship.objects.filter(
                    status=Status.ACTIVE,
                    end_at__gt=at,
                    end_at__lte=at + timedelta(days=days),
                )
                .exclude(last_reminder_days__lte=days)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("partner", "customer")
                .order_by("end_at")[:batch_size]
            )
            if not rels:
                continue
            DelegatedAdminRelationship.objects.filter(pk__in=[r.pk for r in rels]).update(
                last_reminder_days=days
            )
            record_system_many(
                "gdap.reminder_sent",
                [
                    {
                        "target_tenant": rel.customer_id,
                        "acting_tenant": rel.partner_id,
                        "obj": rel,
                        "after": {"days_before_end": days},
                    }
                    for rel in rels
                ],
            )
            extra = {
                rel.pk: {"days": days, "auto_extends": bool(rel.auto_extend_duration)}
                for rel in rels
            }
            _notice_batch(rels, "gdap_reminder", extra)
            sent += len(rels)
    return sent
