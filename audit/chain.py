"""The audit log as a hash chain: every event carries its predecessor's hash and its own
hash over its fields, in `seq` order, so `manage.py verify_audit` finds a changed, removed
or inserted event.

On PostgreSQL the chain is built by a BEFORE INSERT trigger (migrations 0003, 0005) for
every insert, however it is made (the ORM, bulk inserts, the sweep's SQL); it takes a
transaction-level advisory lock, so events join the chain one at a time, in commit order of
the transactions that write them. Holding the lock, the transaction reads the chain's head
once and keeps it in a transaction-local setting (`liaison.audit_head`), so a bulk insert
pays no lookup per event. Anyone may change that setting, so it is not trusted: after
every statement a second trigger checks the statement's events against the table (one
run of places, each linked to the one before, the first to the event already stored before
it) and refuses the statement otherwise; the unique `seq` refuses a place already taken.
A rolled-back savepoint takes its setting back with its events.

Elsewhere (the embedded SQLite, which writes one transaction at a time anyway) link()
builds the chain in Python before the insert. Each backend verifies with the digest that
built it.
"""

import datetime
import hashlib
import json

from django.db import connection

GENESIS = "0" * 64

# PostgreSQL: the digest, the chain trigger, and the verification query.
# The digest is STABLE, as to_char and convert_to are: declared IMMUTABLE it was never
# inlined, and the trigger paid a function call per event.
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
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger AS $$
DECLARE
    head text;
    last_seq bigint;
    last_hash text;
BEGIN
    -- One writer at a time until commit: the chain has no forks. Taken again per row
    -- (cheap: the transaction already holds it), so no row joins without it.
    PERFORM pg_advisory_xact_lock(727367282);
    head := current_setting('liaison.audit_head', true);
    IF coalesce(head, '') = '' THEN
        -- First event of the transaction: read the head. EXECUTE plans it for the table
        -- as it is now (a plan cached while the table was small would scan it all).
        EXECUTE 'SELECT seq, hash FROM audit_auditevent WHERE seq IS NOT NULL'
                ' ORDER BY seq DESC LIMIT 1' INTO last_seq, last_hash;
        last_seq := coalesce(last_seq, 0);
        last_hash := coalesce(last_hash, repeat('0', 64));
    ELSE
        last_seq := split_part(head, ':', 1)::bigint;
        last_hash := split_part(head, ':', 2);
    END IF;
    NEW.seq := last_seq + 1;
    NEW.prev_hash := last_hash;
    NEW.hash := audit_event_digest(NEW);
    PERFORM set_config('liaison.audit_head', NEW.seq::text || ':' || NEW.hash, true);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION audit_event_chain_check() RETURNS trigger AS $$
DECLARE
    n bigint;
    first_seq bigint;
    last_seq bigint;
    unlinked bigint;
    first_prev text;
    last_hash text;
    stored_prev text;
BEGIN
    -- The statement's events: one run of places, each linked to the one before it...
    SELECT count(*), min(seq), max(seq), count(*) FILTER (WHERE before <> prev_hash)
        INTO n, first_seq, last_seq, unlinked
        FROM (SELECT seq, prev_hash, lag(hash) OVER (ORDER BY seq) AS before FROM added) r;
    IF n = 0 THEN
        RETURN NULL;
    END IF;
    SELECT prev_hash INTO first_prev FROM added WHERE seq = first_seq;
    SELECT hash INTO last_hash FROM added WHERE seq = last_seq;
    -- ...the first linked to the event stored before it (the unique seq makes that the
    -- head: a place already taken is refused).
    IF first_seq = 1 THEN
        stored_prev := repeat('0', 64);
    ELSE
        EXECUTE 'SELECT hash FROM audit_auditevent WHERE seq = $1'
            INTO stored_prev USING first_seq - 1;
    END IF;
    IF last_seq - first_seq + 1 <> n OR unlinked > 0
            OR stored_prev IS DISTINCT FROM first_prev THEN
        RAISE EXCEPTION 'audit events % to % do not continue the chain', first_seq, last_seq
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    PERFORM set_config('liaison.audit_head', last_seq::text || ':' || last_hash, true);
    RETURN NULL;
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
