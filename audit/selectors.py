from audit.describe import object_kind
from audit.models import AuditEvent

CHOICES_MAX = 200  # actors offered by the page's "Who" filter


def audit_events_for_tenant(*, tenant):
    """Events in or by tenant, newest first, with the names the log shows
    (audit.filters.AuditEventFilter narrows)."""
    return (
        AuditEvent.objects.for_tenant(tenant)
        .select_related("acting_tenant", "target_tenant")
        .order_by("-occurred_at", "-id")
    )


def _distinct(tenant, field: str, limit=None) -> list:
    values = (
        AuditEvent.objects.for_tenant(tenant)
        .exclude(**{field: ""})
        .order_by(field)
        .values_list(field, flat=True)
        .distinct()
    )
    return list(values[:limit] if limit else values)


def filter_choices(tenant) -> dict:
    """What the page's filters offer: the actions, people and kinds of object the tenant's
    log holds (three queries)."""
    return {
        "actions": _distinct(tenant, "action"),
        "actors": _distinct(tenant, "actor_email", CHOICES_MAX),
        "object_types": sorted(
            ((t, object_kind(t).capitalize()) for t in _distinct(tenant, "object_type")),
            key=lambda choice: choice[1],
        ),
    }


SIGN_IN_ACTIONS = ("user.signed_in", "user.sign_in_failed")


def sign_ins_of(user, *, limit: int = 100):
    """The account's latest sign-ins and failed attempts, newest first."""
    return AuditEvent.objects.filter(action__in=SIGN_IN_ACTIONS, object_id=str(user.pk)).order_by(
        "-occurred_at", "-id"
    )[:limit]
