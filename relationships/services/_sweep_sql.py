"""The expiry sweep as one set-based statement, for PostgreSQL.

The ORM path in roles.services.expiry.sweep_due builds model instances row by row; at the scale
of a partner program (100,000 grants ending together) that is the bottleneck. Here a
single statement, made of data-modifying CTEs, takes one batch with SKIP LOCKED, expires
or extends it, appends one audit event per row and one notice per partner and customer
admin, and returns the counts and the notice ids. Same effects as the ORM path; the test
suite runs both (SQLite embedded, PostgreSQL in CI).
"""

from django.conf import settings
from django.db import connection

from audit.models import AuditEvent
from notifications.models import OutboxMessage
from relationships.models import DelegatedAdminRelationship
from roles import permissions
from tenants.models import Membership, Tenant, User


def _sql() -> str:
    rel = DelegatedAdminRelationship._meta.db_table
    audit = AuditEvent._meta.db_table
    outbox = OutboxMessage._meta.db_table
    tenant = Tenant._meta.db_table
    membership = Membership._meta.db_table
    membership_roles = Membership.roles.through._meta.db_table
    user = User._meta.db_table
    # Table names come from model metadata, values are parameters: no user text in the SQL.
    return f"""
WITH due AS (
    SELECT id, end_at AS old_end
    FROM {rel}
    WHERE status = 'active' AND end_at <= %(at)s
    ORDER BY end_at
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
), changed AS (
    UPDATE {rel} AS r SET
        status = CASE WHEN r.auto_extend_duration > interval '0' THEN 'active'
                      ELSE 'expired' END,
        ended_at = CASE WHEN r.auto_extend_duration > interval '0' THEN r.ended_at
                        ELSE %(at)s END,
        end_at = CASE WHEN r.auto_extend_duration > interval '0'
            THEN r.end_at + r.auto_extend_duration * (1 + floor(
                extract(epoch FROM (%(at)s - r.end_at))
                / extract(epoch FROM r.auto_extend_duration)))
            ELSE r.end_at END,
        last_reminder_days = CASE WHEN r.auto_extend_duration > interval '0' THEN NULL
                                  ELSE r.last_reminder_days END,
        last_modified_at = %(at)s,
        version = r.version + 1
    FROM due
    WHERE r.id = due.id
    RETURNING r.id, r.partner_id, r.customer_id, r.display_name, r.status, r.end_at,
              due.old_end
), audited AS (
    INSERT INTO {audit} (id, occurred_at, actor_kind, actor_email, acting_tenant_id,
        target_tenant_id, action, object_type, object_id, object_repr, before, after)
    SELECT gen_random_uuid(), now(), 'system', '', c.partner_id, c.customer_id,
        CASE c.status WHEN 'expired' THEN 'gdap.expired' ELSE 'gdap.auto_extended' END,
        %(object_type)s, c.id::text, left(c.display_name, 200),
        CASE c.status WHEN 'expired' THEN jsonb_build_object('status', 'active')
             ELSE jsonb_build_object('end_at', c.old_end::text) END,
        CASE c.status WHEN 'expired' THEN jsonb_build_object('status', 'expired')
             ELSE jsonb_build_object('end_at', c.end_at::text) END
    FROM changed c
    RETURNING 1
), recipients AS (
    SELECT DISTINCT m.tenant_id, u.email, u.language
    FROM {membership} m
    JOIN {membership_roles} mr ON mr.membership_id = m.id
    JOIN {user} u ON u.id = m.user_id
    WHERE mr.roledefinition_id = ANY(%(role_ids)s::uuid[]) AND u.is_active
      AND m.tenant_id IN (SELECT partner_id FROM changed
                          UNION SELECT customer_id FROM changed)
), noticed AS (
    INSERT INTO {outbox} (id, "to", template, language, subject, body_text, body_html,
        context, has_secrets, status, attempts, last_error, created_at)
    SELECT gen_random_uuid(), rc.email,
        CASE c.status WHEN 'expired' THEN 'gdap_expired' ELSE 'gdap_extended' END,
        coalesce(nullif(rc.language, ''), %(language)s), '', '', '',
        jsonb_build_object('relationship', c.display_name, 'partner_name', p.name,
                           'customer_name', coalesce(cu.name, ''), 'end_at', c.end_at),
        false, 'pending', 0, '', now()
    FROM changed c
    JOIN {tenant} p ON p.id = c.partner_id
    LEFT JOIN {tenant} cu ON cu.id = c.customer_id
    JOIN recipients rc ON rc.tenant_id IN (c.partner_id, c.customer_id)
    RETURNING id
)
-- Evaluated left to right: the audit insert comes last, because the audit chain's lock
-- (audit/chain.py) is held from the first event until commit and the other sweeper waits.
SELECT
    (SELECT coalesce(array_agg(id::text), ARRAY[]::text[]) FROM noticed),
    (SELECT count(*) FROM changed WHERE status = 'expired'),
    (SELECT count(*) FROM changed WHERE status = 'active'),
    (SELECT count(*) FROM audited)
"""  # noqa: S608


def sweep_batch(*, at, limit: int) -> tuple[int, int, list[str]]:
    """(expired, extended, notice ids) for one batch; call inside a transaction."""
    role_ids = [str(rid) for rid in permissions.role_ids_granting(permissions.PARTNERS_MANAGE)]
    with connection.cursor() as cursor:
        cursor.execute(
            _sql(),
            {
                "at": at,
                "limit": limit,
                "role_ids": role_ids,
                "language": settings.LANGUAGE_CODE,
                "object_type": DelegatedAdminRelationship._meta.label_lower,
            },
        )
        notice_ids, expired, extended, _audited = cursor.fetchone()
    return expired, extended, list(notice_ids)
