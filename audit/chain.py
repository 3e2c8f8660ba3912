"""The audit log as a hash chain: every event carries its predecessor's hash and its own
hash over its fields, in `seq` order, so `manage.py verify_audit` finds a changed, removed
or inserted event.

On PostgreSQL the chain is built by a BEFORE INSERT trigger (migration 0003) for every
insert, however it is made (the ORM, bulk inserts, the sweep's SQL); it takes a
transaction-level advisory lock, so events join the chain one at a time, in commit order of
the transactions that write them. Elsewhere (the embedded SQLite, which writes one
transaction at a time anyway) link() builds it in Python before the insert. Each backend
verifies with the digest that built it.
"""

import datetime
import hashlib
import json

from django.db import connection

GENESIS = "0" * 64

# PostgreSQL: the digest, the chain trigger, and the verification query.
PG_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION audit_event_digest(e audit_auditevent) RETURNS text AS $$
    SELECT encode(sha256(convert_to(concat_ws('|',
        e.seq::text,
        e.id::text,
        to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        e.action,
        coalesce(e.actor_id::text, ''),
        e.actor_kind,
        e.actor_email,
        coalesce(e.acting_tenant_id::text, ''),
        coalesce(e.target_tenant_id::text, ''),
        coalesce(e.relationship_id::text, ''),
        e.object_type,
        e.object_id,
        e.object_repr,
        e.before::text,
        e.after::text,
        coalesce(host(e.ip), ''),
        e.prev_hash
    ), 'UTF8')), 'hex')
$$ LANGUAGE sql IMMUTABLE;

CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger AS $$
DECLARE
    last_seq bigint;
    last_hash text;
BEGIN
    -- One writer at a time until commit: the chain has no forks.
    PERFORM pg_advisory_xact_lock(727367282);
    SELECT seq, hash INTO last_seq, last_hash
        FROM audit_auditevent WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
    NEW.seq := coalesce(last_seq, 0) + 1;
    NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
    NEW.hash := audit_event_digest(NEW);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

PG_VERIFY = """
SELECT seq, id::text, hash, prev_hash, audit_event_digest(e) AS expected
FROM audit_auditevent e
WHERE seq IS NOT NULL AND seq > %s
ORDER BY seq
LIMIT %s
"""


def _text(value) -> str:
    return "" if value is None else str(value)


def digest(event, prev_hash: str) -> str:
    """The Python digest (SQLite): every field, then the predecessor's hash."""
    fields = [
        _text(event.seq),
        str(event.id),
        event.occurred_at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
        if event.occurred_at
        else "",
        event.action,
        _text(event.actor_id),
        event.actor_kind,
        event.actor_email,
        _text(event.acting_tenant_id),
        _text(event.target_tenant_id),
        _text(event.relationship_id),
        event.object_type,
        event.object_id,
        event.object_repr,
        json.dumps(event.before, sort_keys=True, ensure_ascii=False),
        json.dumps(event.after, sort_keys=True, ensure_ascii=False),
        _text(event.ip),
        prev_hash,
    ]
    return hashlib.sha256("|".join(fields).encode()).hexdigest()


def uses_trigger() -> bool:
    return connection.vendor == "postgresql"


def link(events) -> None:
    """Give unsaved events their place in the chain (not PostgreSQL: its trigger does)."""
    if uses_trigger() or not events:
        return
    from django.utils import timezone

    from audit.models import AuditEvent

    last = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").first()
    seq, prev = (last.seq, last.hash) if last else (0, GENESIS)
    ip_field = AuditEvent._meta.get_field("ip")
    for event in events:
        if event.occurred_at is None:  # auto_now_add fills it on save, too late for us
            event.occurred_at = timezone.now()
        event.ip = ip_field.get_prep_value(event.ip)  # hashed as stored
        seq += 1
        event.seq, event.prev_hash = seq, prev
        event.hash = prev = digest(event, prev)


def problems(batch: int = 5000):
    """Yield (seq, what) for every break in the chain, in order."""
    from audit.models import AuditEvent

    expected_seq, prev_hash = 1, GENESIS
    after = 0
    while True:
        if uses_trigger():
            with connection.cursor() as cursor:
                cursor.execute(PG_VERIFY, [after, batch])
                rows = cursor.fetchall()
        else:
            events = list(AuditEvent.objects.filter(seq__gt=after).order_by("seq")[:batch])
            rows = [(e.seq, str(e.id), e.hash, e.prev_hash, digest(e, e.prev_hash)) for e in events]
        if not rows:
            return
        for seq, event_id, stored, prev, expected in rows:
            if seq != expected_seq:
                yield seq, f"gap: events {expected_seq} to {seq - 1} are missing"
            if prev != prev_hash:
                yield seq, f"broken link: event {seq} ({event_id}) does not follow its predecessor"
            if stored != expected:
                yield seq, f"changed: event {seq} ({event_id}) no longer matches its hash"
            expected_seq, prev_hash, after = seq + 1, stored, seq
