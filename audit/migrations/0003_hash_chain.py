"""The audit log becomes a hash chain (audit/chain.py), and TRUNCATE is refused too.

Events written before this migration join the chain in the order they happened. On
PostgreSQL that means switching the append-only triggers off for the backfill: this
migration runs as the table's owner, the one role that can; the application's role cannot
(manage.py grant_app_role).
"""

import audit.models
import django.utils.timezone
from django.db import migrations, models

from audit.chain import GENESIS, PG_FUNCTIONS, digest

PG_TRIGGERS = """
-- TRUNCATE is refused like UPDATE and DELETE. The one way past it is a session setting
-- that only a disposable test database sets (tests/conftest.py), so the test runner can
-- empty tables between tests: the application's role has no TRUNCATE privilege anyway
-- (checked before any trigger), and the owner, who could also drop this trigger, is what
-- the hash chain is for.
CREATE OR REPLACE FUNCTION audit_event_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('liaison.test_database', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append only (TRUNCATE refused)'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_chain ON audit_auditevent;
CREATE TRIGGER audit_event_chain
    BEFORE INSERT ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_chain();
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_no_truncate();
"""

PG_BACKFILL = """
ALTER TABLE audit_auditevent DISABLE TRIGGER USER;
DO $$
DECLARE
    r record;
    n bigint := 0;
    prev text := repeat('0', 64);
    e audit_auditevent;
BEGIN
    FOR r IN SELECT id FROM audit_auditevent ORDER BY occurred_at, id LOOP
        n := n + 1;
        UPDATE audit_auditevent SET seq = n, prev_hash = prev WHERE id = r.id;
        SELECT * INTO e FROM audit_auditevent WHERE id = r.id;
        prev := audit_event_digest(e);
        UPDATE audit_auditevent SET hash = prev WHERE id = r.id;
    END LOOP;
END $$;
ALTER TABLE audit_auditevent ENABLE TRIGGER USER;
"""

PG_DROP = """
DROP TRIGGER IF EXISTS audit_event_chain ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_chain();
DROP FUNCTION IF EXISTS audit_event_no_truncate();
DROP FUNCTION IF EXISTS audit_event_digest(audit_auditevent);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTIONS, params=None)
        schema_editor.execute(PG_BACKFILL, params=None)
        schema_editor.execute(PG_TRIGGERS, params=None)
        return
    AuditEvent = apps.get_model("audit", "AuditEvent")
    prev = GENESIS
    for n, event in enumerate(AuditEvent.objects.order_by("occurred_at", "id"), start=1):
        event.seq, event.prev_hash = n, prev
        event.hash = prev = digest(event, prev)
        AuditEvent.objects.filter(pk=event.pk).update(
            seq=event.seq, prev_hash=event.prev_hash, hash=event.hash
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_trigger'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='hash',
            field=audit.models.ReturnedCharField(blank=True, editable=False, max_length=64, verbose_name='hash'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='prev_hash',
            field=audit.models.ReturnedCharField(blank=True, editable=False, max_length=64, verbose_name='previous hash'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='seq',
            field=audit.models.ReturnedBigIntegerField(editable=False, null=True, unique=True, verbose_name='sequence'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='occurred_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='when'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
