"""Recording audit events: services call record() once per state change."""

from django.db import models

from audit import chain
from audit.models import AuditEvent
from core.context import client_ip


def record(
    action: str,
    *,
    actor=None,
    target_tenant=None,
    acting_tenant=None,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    access=None,
    system: bool = False,
    actor_email: str = "",
) -> AuditEvent:
    """Append one event. `access` (a TenantAccess) adds the delegated grant that allowed it."""
    delegation = access.delegation() if access is not None and access.is_delegated else None
    if actor is None and actor_email:  # someone not signed in (a failed sign-in)
        kind = AuditEvent.ActorKind.ANONYMOUS
    elif system or actor is None:
        kind = AuditEvent.ActorKind.SYSTEM
    elif getattr(actor, "is_staff", False) and access is None:
        kind = AuditEvent.ActorKind.STAFF
    else:
        kind = AuditEvent.ActorKind.USER
    if acting_tenant is None:
        acting_tenant = delegation.partner_tenant_id if delegation else target_tenant
    event = AuditEvent(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_kind=kind,
        actor_email=(getattr(actor, "email", "") or actor_email or "")[:254],
        acting_tenant_id=getattr(acting_tenant, "pk", acting_tenant),
        target_tenant_id=getattr(target_tenant, "pk", target_tenant),
        relationship_id=delegation.relationship_id if delegation else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
        ip=client_ip(),
    )
    chain.link([event])
    event.save(force_insert=True)
    return event


def record_system_many(action: str, events: list[dict]) -> int:
    """Append many system events in one INSERT (beat jobs working in batches).

    Each dict: target_tenant, acting_tenant, obj, before, after (ids or instances).
    """
    rows = [
        AuditEvent(
            action=action,
            actor_kind=AuditEvent.ActorKind.SYSTEM,
            acting_tenant_id=getattr(e.get("acting_tenant"), "pk", e.get("acting_tenant")),
            target_tenant_id=getattr(e.get("target_tenant"), "pk", e.get("target_tenant")),
            object_type=e["obj"]._meta.label_lower,
            object_id=str(e["obj"].pk),
            object_repr=str(e["obj"])[:200],
            before=_jsonable(e.get("before") or {}),
            after=_jsonable(e.get("after") or {}),
        )
        for e in events
    ]
    chain.link(rows)
    AuditEvent.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
