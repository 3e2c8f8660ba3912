"""The chain trigger reads the chain's head once per transaction, not once per event.

Bulk inserts (the expiry sweep's thousand events per statement) paid an index lookup per
row, and one planned while the table was small turns into a scan of the whole table. The
head is now kept in a transaction-local setting while the advisory lock is held, and a
statement-level trigger checks every statement's events against the table, so a setting
changed by hand cannot bend the chain (audit/chain.py). The digest computes the same text,
now declared STABLE so that it is inlined: events written before this migration verify as
they are; none is rewritten.
"""

from django.db import migrations

from audit.chain import PG_FUNCTIONS

PG_TRIGGER = """
DROP TRIGGER IF EXISTS audit_event_chain_check ON audit_auditevent;
CREATE TRIGGER audit_event_chain_check
    AFTER INSERT ON audit_auditevent
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_chain_check();
"""

# The functions of 0003, as they were, for going back.
PG_PREVIOUS = r"""
ALTER FUNCTION audit_event_digest(audit_auditevent) IMMUTABLE;
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

DROP TRIGGER IF EXISTS audit_event_chain_check ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_chain_check();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTIONS, params=None)
        schema_editor.execute(PG_TRIGGER, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_PREVIOUS, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_anonymous_actor")]

    operations = [migrations.RunPython(forwards, backwards)]
