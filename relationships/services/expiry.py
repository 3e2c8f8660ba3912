"""The end of relationships (Celery beat jobs): the expiry sweep and the reminders.

Both work in batches, in bulk, and are idempotent: a second run changes nothing.
"""

from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from audit.services import record_system_many
from notifications.services import enqueue_batch, queue_notices
from relationships.models import DelegatedAdminRelationship
from relationships.rules import REMINDER_DAYS
from relationships.services.gdap import Status
from roles import access
from roles.permissions import PARTNERS_MANAGE


def _notice_batch(rels, template: str, extra: dict | None = None) -> int:
    """Queue one notice per partner and customer admin of each relationship (bulk)."""
    tenant_ids = {rel.partner_id for rel in rels} | {rel.customer_id for rel in rels}
    recipients = access.holders_by_tenant(tenant_ids, PARTNERS_MANAGE)
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
                status=Status.EXPIRED, ended_at=at, last_modified_at=at, version=F("version") + 1
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
                rel.version += 1
            DelegatedAdminRelationship.objects.bulk_update(
                extended,
                ["end_at", "last_reminder_days", "last_modified_at", "version"],
                batch_size=1000,
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
            access.forget()  # bulk updates send no signals (roles/signals.py)
    return {"expired": len(expired), "extended": len(extended)}


@transaction.atomic
def _sweep_due_sql(*, at, batch_size: int) -> dict:
    from relationships.services._sweep_sql import sweep_batch

    expired, extended, notice_ids = sweep_batch(at=at, limit=batch_size)
    if notice_ids:
        transaction.on_commit(lambda: enqueue_batch(notice_ids))
    if expired or extended:
        access.forget()  # one SQL statement: no signals (roles/signals.py)
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
