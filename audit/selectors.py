from audit.models import AuditEvent


def audit_events_for_tenant(*, tenant):
    """Events in or by tenant, newest first, with the names the log shows
    (audit.filters.AuditEventFilter narrows)."""
    return (
        AuditEvent.objects.for_tenant(tenant)
        .select_related("acting_tenant", "target_tenant")
        .order_by("-occurred_at", "-id")
    )
