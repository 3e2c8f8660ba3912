from audit.models import AuditEvent


def audit_events_for_tenant(*, tenant):
    """Events in or by tenant, newest first, with the names the log shows
    (audit.filters.AuditEventFilter narrows)."""
    return (
        AuditEvent.objects.for_tenant(tenant)
        .select_related("acting_tenant", "target_tenant")
        .order_by("-occurred_at", "-id")
    )


SIGN_IN_ACTIONS = ("user.signed_in", "user.sign_in_failed")


def sign_ins_of(user, *, limit: int = 100):
    """The account's latest sign-ins and failed attempts, newest first."""
    return AuditEvent.objects.filter(action__in=SIGN_IN_ACTIONS, object_id=str(user.pk)).order_by(
        "-occurred_at", "-id"
    )[:limit]
