from datetime import datetime

from audit.models import AuditEvent


def audit_events_for_tenant(
    *, tenant, action: str = "", since: datetime | None = None, until: datetime | None = None
):
    """Events in or by tenant, newest first, with the names the log shows."""
    qs = AuditEvent.objects.for_tenant(tenant).select_related("acting_tenant", "target_tenant")
    if action:
        qs = (
            qs.filter(action__startswith=action)
            if action.endswith(".")
            else qs.filter(action=action)
        )
    if since:
        qs = qs.filter(occurred_at__gte=since)
    if until:
        qs = qs.filter(occurred_at__lt=until)
    return qs.order_by("-occurred_at", "-id")
