"""GDAP relationships: creating, editing and deleting them while the partner drafts (and
the edits an active one allows), and the steps the other GDAP services share."""

from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from core.errors import InvalidState, ValidationError
from core.scoping import get_in_tenant_or_404
from relationships.models import (
    DelegatedAdminRelationship,
    RelationshipOperation,
)
from relationships.rules import (
    check_auto_extend,
    check_customer,
    require_partner,
    roles_to_remove_while_active,
    validate_request,
)
from relationships.services import _operations, _steps
from roles import access, catalog
from roles.notify import notify_admins
from roles.permissions import PARTNERS_MANAGE

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


def _notify_both(rel, template: str, **extra) -> None:
    context = _mail_context(rel, **extra)
    for tenant in (rel.partner, rel.customer):
        if tenant is not None:
            notify_admins(
                tenant=tenant, permission=PARTNERS_MANAGE, template=template, context=context
            )
