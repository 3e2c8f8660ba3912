"""The audit log is tamper-evident (issue 12, finding 5).

TRUNCATE is refused like UPDATE and DELETE; every event carries the hash of its
predecessor and `manage.py verify_audit` finds any change or gap; on PostgreSQL the
application's role owns nothing and may only insert and read audit rows.
"""

import io
import itertools
import threading

import psycopg2
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from audit.models import AuditEvent
from audit.services import record, record_system_many
from tests.factories import TenantFactory

APP_ROLE = "liaison_app_test"
# Many events in one statement, as the expiry sweep writes them (PostgreSQL).
INSERT_MANY = """
INSERT INTO audit_auditevent (id, occurred_at, actor_kind, actor_email, action, object_type,
    object_id, object_repr, before, after)
SELECT gen_random_uuid(), now(), 'system', '', 'tenant.checked', '', g::text, '', '{}', '{}'
FROM generate_series(1, %s) g
"""


def _events(tenant, n):
    return [record("tenant.renamed", target_tenant=tenant, after={"n": i}) for i in range(n)]


def _verify() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


@pytest.mark.django_db
def test_events_form_a_chain_that_verifies(customer):
    events = _events(customer, 4)
    rows = list(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("seq"))

    assert [r.seq for r in rows] == list(range(rows[0].seq, rows[0].seq + 4))
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.hash
    assert len({r.hash for r in rows}) == 4
    code, output = _verify()
    assert code == 0, output
    assert "intact" in output


@pytest.mark.django_db
def test_bulk_events_join_the_chain(customer):
    from audit.services import record_system_many

    _events(customer, 1)
    record_system_many(
        "gdap.expired", [{"target_tenant": customer, "obj": customer} for _ in range(3)]
    )
    code, output = _verify()
    assert code == 0, output


def _assert_one_chain(rows):
    """Consecutive places, each linked to the one before, no two alike."""
    assert [r.seq for r in rows] == list(range(rows[0].seq, rows[0].seq + len(rows)))
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.hash
    assert len({r.hash for r in rows}) == len({r.prev_hash for r in rows}) == len(rows)


@pytest.mark.django_db
def test_a_batch_of_events_in_one_statement_makes_a_chain_that_verifies(customer):
    # The sweep writes a whole batch's events with one INSERT, inside one transaction.
    with transaction.atomic():
        _events(customer, 1)
        record_system_many(
            "gdap.expired",
            [{"target_tenant": customer, "obj": customer, "after": {"i": i}} for i in range(300)],
        )
        _events(customer, 1)
        record_system_many("gdap.auto_extended", [{"target_tenant": customer, "obj": customer}] * 5)

    _assert_one_chain(list(AuditEvent.objects.order_by("seq")))
    code, output = _verify()
    assert code == 0, output


def test_statements_of_many_events_chain_around_a_rolled_back_savepoint(postgres, customer):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(INSERT_MANY, [200])
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute(INSERT_MANY, [50])
            cursor.execute("SELECT 1 / 0")  # the savepoint goes back, its events with it
        _events(customer, 2)
        cursor.execute(INSERT_MANY, [100])

    rows = list(AuditEvent.objects.order_by("seq"))
    assert len(rows) == 302
    _assert_one_chain(rows)
    code, output = _verify()
    assert code == 0, output


def _forged_head(kind: str, events) -> str:
    last, before = events[-1], events[-2]
    return {
        "another hash": f"{last.seq}:{'f' * 64}",
        "a place taken": f"{before.seq}:{before.hash}",
        "a place ahead": f"{last.seq + 5}:{last.hash}",
    }[kind]


@pytest.mark.parametrize("kind", ["another hash", "a place taken", "a place ahead"])
@pytest.mark.parametrize("when", ["before the statement", "inside the statement"])
def test_a_forged_chain_head_is_refused(postgres, customer, kind, when):
    events = _events(customer, 3)
    forged = _forged_head(kind, events)
    # The head the trigger keeps is a setting anyone can change; the check after each
    # statement refuses events that do not continue the stored chain.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        if when == "before the statement":
            cursor.execute("SELECT set_config('liaison.audit_head', %s, true)", [forged])
            cursor.execute(INSERT_MANY, [3])
        else:
            cursor.execute(
                INSERT_MANY.replace(
                    "'tenant.checked'",
                    "CASE WHEN g = 2 AND set_config('liaison.audit_head', %s, true) <> ''"
                    " THEN 'tenant.forged' ELSE 'tenant.checked' END",
                ),
                [forged, 3],
            )

    assert not AuditEvent.objects.exclude(action="tenant.renamed").exists()
    _events(customer, 1)
    code, output = _verify()
    assert code == 0, output


def test_truncate_is_refused(postgres, customer):
    _events(customer, 1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL liaison.test_database = 'off'")  # as outside the tests
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.exists()


def test_a_changed_event_is_found(postgres, customer):
    events = _events(customer, 3)
    # What only the table's owner could do: switch the triggers off and rewrite a row.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE audit_auditevent SET action = 'tenant.forged' WHERE id = %s",
            [events[1].pk],
        )
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")

    code, output = _verify()

    assert code == 1
    assert str(events[1].seq) in output and "changed" in output


def test_a_removed_event_is_found(postgres, customer):
    events = _events(customer, 3)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")

    code, output = _verify()

    assert code == 1
    assert "gap" in output


def test_reordered_events_are_found(postgres, customer):
    first, second = _events(customer, 3)[:2]
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        for event_id, seq in ((first.pk, -1), (second.pk, first.seq), (first.pk, second.seq)):
            cursor.execute("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [seq, event_id])
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")

    code, output = _verify()

    assert code == 1
    assert "broken link" in output and "changed" in output


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_keep_one_chain(postgres_transactional):
    tenant = TenantFactory()
    errors = []

    def write():
        try:
            for i in range(10):
                with transaction.atomic():
                    record("tenant.renamed", target_tenant=tenant, after={"i": i})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors
    assert AuditEvent.objects.filter(target_tenant=tenant).count() == 40
    code, output = _verify()
    assert code == 0, output


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_many_events_never_fork(postgres_transactional):
    tenant = TenantFactory()
    errors = []
    start = threading.Barrier(4)

    def write(writer):
        try:
            start.wait()
            for i in range(5):
                with transaction.atomic():
                    record_system_many(
                        "tenant.checked",
                        [
                            {"target_tenant": tenant, "obj": tenant, "after": {"w": writer, "i": i}}
                            for _ in range(50)
                        ],
                    )
                    record("tenant.renamed", target_tenant=tenant, after={"w": writer, "i": i})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors
    rows = list(AuditEvent.objects.order_by("seq"))
    assert len([r for r in rows if r.target_tenant_id == tenant.pk]) == 4 * 5 * 51
    _assert_one_chain(rows)
    # Each transaction's events are one run: a writer waits for the other's commit.
    runs = [(r.after["w"], r.after["i"]) for r in rows if r.target_tenant_id == tenant.pk]
    changes = sum(1 for a, b in itertools.pairwise(runs) if a != b)
    assert changes == 4 * 5 - 1
    code, output = _verify()
    assert code == 0, output


@pytest.mark.django_db(transaction=True)
def test_events_chained_before_the_head_was_kept_still_verify(postgres_transactional):
    MigrationExecutor(connection).migrate([("audit", "0004_anonymous_actor")])
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'audit_event_chain'")
            assert "audit_head" not in cursor.fetchone()[0]  # the trigger of 0003
            cursor.execute(INSERT_MANY, [20])
    finally:
        call_command("migrate", "audit", verbosity=0)
    tenant = TenantFactory()
    record("tenant.renamed", target_tenant=tenant)
    with connection.cursor() as cursor:
        cursor.execute(INSERT_MANY, [20])

    rows = list(AuditEvent.objects.order_by("seq"))
    assert len(rows) == 41
    _assert_one_chain(rows)
    code, output = _verify()
    assert code == 0, output


@pytest.fixture
def app_role(postgres):
    """A login role set up as the web and workers run: grant_app_role, nothing owned."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {APP_ROLE} LOGIN")
    call_command("grant_app_role", APP_ROLE, stdout=io.StringIO())
    settings = connection.settings_dict
    # The test transaction is not visible to another connection: commit what it needs.
    conn = psycopg2.connect(
        dbname=settings["NAME"],
        user=APP_ROLE,
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    )
    conn.autocommit = True
    yield conn
    conn.close()


@pytest.mark.django_db(transaction=True)
def test_the_application_role_may_only_insert_and_read_audit_rows(postgres_transactional, app_role):
    tenant = TenantFactory()
    record("tenant.renamed", target_tenant=tenant)
    cursor = app_role.cursor()

    cursor.execute("SELECT count(*) FROM audit_auditevent")
    assert cursor.fetchone()[0] >= 1
    cursor.execute(
        "INSERT INTO audit_auditevent (id, occurred_at, actor_kind, actor_email, action,"
        " object_type, object_id, object_repr, before, after)"
        " VALUES (gen_random_uuid(), now(), 'system', '', 'tenant.checked', '', '', '',"
        " '{}', '{}')"
    )
    for statement in (
        "UPDATE audit_auditevent SET action = 'x'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "DROP TRIGGER audit_event_append_only ON audit_auditevent",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER USER",
    ):
        with pytest.raises(psycopg2.Error):
            cursor.execute(statement)
    # The rest of the application still works for it.
    cursor.execute("SELECT count(*) FROM tenants_tenant")
    cursor.execute("UPDATE tenants_tenant SET name = name WHERE id = %s", [str(tenant.pk)])
    code, output = _verify()
    assert code == 0, output
