"""The expiry sweep and the reminders (Celery beat jobs): what they record, each once."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from notifications.models import OutboxMessage
from relationships import services, tasks
from relationships.models import DelegatedAdminRelationship
from tests.gdap_factories import DelegatedAdminRelationshipFactory

Status = DelegatedAdminRelationship.Status
AUTO_EXTEND = timedelta(days=180)


def _due(partner, customer, *, ago=timedelta(minutes=5), **kwargs):
    rel = DelegatedAdminRelationshipFactory(partner=partner, customer=customer, **kwargs)
    rel.end_at = timezone.now() - ago
    rel.save(update_fields=["end_at"])
    return rel


def _mail_counts() -> Counter:
    return Counter(OutboxMessage.objects.values_list("template", flat=True))


@pytest.mark.django_db
def test_sweep_expires_due_rows_and_extends_auto_extending_ones(
    partner_tenant, partner_admin, customer, customer_admin
):
    expiring = [_due(partner_tenant, customer) for _ in range(3)]
    extending = [_due(partner_tenant, customer, auto_extend_duration=AUTO_EXTEND) for _ in range(2)]
    ends_before = {rel.pk: rel.end_at for rel in extending}
    not_due = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)

    counts = services.sweep_due()

    assert counts == {"expired": 3, "extended": 2}
    for rel in expiring:
        rel.refresh_from_db()
        assert rel.status == Status.EXPIRED
        assert rel.ended_at is not None
    for rel in extending:
        rel.refresh_from_db()
        assert rel.status == Status.ACTIVE
        assert rel.end_at == ends_before[rel.pk] + AUTO_EXTEND
    not_due.refresh_from_db()
    assert not_due.status == Status.ACTIVE
    # One audit event per row, and a notice to both sides (one admin each).
    audited = Counter(
        AuditEvent.objects.filter(action__in=["gdap.expired", "gdap.auto_extended"]).values_list(
            "object_id", flat=True
        )
    )
    assert audited == {str(rel.pk): 1 for rel in [*expiring, *extending]}
    assert AuditEvent.objects.filter(action="gdap.expired").count() == 3
    assert AuditEvent.objects.filter(action="gdap.auto_extended").count() == 2
    assert _mail_counts() == {"gdap_expired": 6, "gdap_extended": 4}


@pytest.mark.django_db
def test_a_second_sweep_changes_nothing(partner_tenant, partner_admin, customer):
    _due(partner_tenant, customer)
    _due(partner_tenant, customer, auto_extend_duration=AUTO_EXTEND)
    services.sweep_due()
    events, mails = AuditEvent.objects.count(), OutboxMessage.objects.count()
    snapshot = list(DelegatedAdminRelationship.objects.values_list("pk", "status", "end_at"))

    assert services.sweep_due() == {"expired": 0, "extended": 0}

    assert AuditEvent.objects.count() == events
    assert OutboxMessage.objects.count() == mails
    assert (
        list(DelegatedAdminRelationship.objects.values_list("pk", "status", "end_at")) == snapshot
    )


@pytest.mark.django_db
def test_auto_extend_catches_up_after_a_long_outage(partner_tenant, customer):
    rel = _due(partner_tenant, customer, ago=timedelta(days=200), auto_extend_duration=AUTO_EXTEND)
    end = rel.end_at

    services.sweep_due()

    rel.refresh_from_db()
    assert rel.end_at == end + 2 * AUTO_EXTEND
    assert rel.end_at > timezone.now()


@pytest.mark.django_db
def test_the_beat_task_sweeps_in_batches_until_done(partner_tenant, customer, monkeypatch):
    for _ in range(5):
        _due(partner_tenant, customer)
    real = services.sweep_due
    monkeypatch.setattr(services, "sweep_due", lambda **kw: real(batch_size=2, **kw))

    assert tasks.sweep_relationships() == {"expired": 5, "extended": 0}
    assert not DelegatedAdminRelationship.objects.filter(status=Status.ACTIVE).exists()


@pytest.mark.django_db
def test_sweep_leaves_other_statuses_alone(partner_tenant, customer):
    for status in (Status.TERMINATED, Status.EXPIRED):
        _due(partner_tenant, customer, status=status)

    assert services.sweep_due() == {"expired": 0, "extended": 0}


# Reminders --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reminders_at_30_7_and_1_days_are_each_sent_once(
    partner_tenant, partner_admin, customer, customer_admin
):
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, duration=timedelta(days=60)
    )
    end = rel.end_at
    minute = timedelta(minutes=1)

    with time_machine.travel(end - timedelta(days=31), tick=False):
        assert services.send_reminders() == 0
    for days in (30, 7, 1):
        with time_machine.travel(end - timedelta(days=days) + minute, tick=False):
            assert services.send_reminders() == 1, days
            assert services.send_reminders() == 0, days
        with time_machine.travel(end - timedelta(days=days) + 2 * minute, tick=False):
            assert services.send_reminders() == 0, days

    assert _mail_counts() == {"gdap_reminder": 6}  # three reminders, to both sides
    sent = AuditEvent.objects.filter(action="gdap.reminder_sent").values_list("after", flat=True)
    assert sorted(a["days_before_end"] for a in sent) == [1, 7, 30]


@pytest.mark.django_db
def test_a_late_first_run_sends_only_the_most_urgent_reminder(
    partner_tenant, partner_admin, customer, customer_admin
):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)
    rel.end_at = timezone.now() + timedelta(days=5)
    rel.save(update_fields=["end_at"])

    assert services.send_reminders() == 1
    assert services.send_reminders() == 0

    rel.refresh_from_db()
    assert rel.last_reminder_days == 7
    assert _mail_counts() == {"gdap_reminder": 2}


@pytest.mark.django_db
def test_an_auto_extension_rearms_the_reminders(partner_tenant, partner_admin, customer):
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, auto_extend_duration=AUTO_EXTEND
    )
    rel.end_at = timezone.now() + timedelta(hours=12)
    rel.save(update_fields=["end_at"])
    assert services.send_reminders() == 1

    with time_machine.travel(rel.end_at + timedelta(minutes=1), tick=False):
        services.sweep_due()
    rel.refresh_from_db()
    assert rel.last_reminder_days is None
    with time_machine.travel(rel.end_at - timedelta(days=30) + timedelta(minutes=1), tick=False):
        assert services.send_reminders() == 1


# Two sweepers at once (PostgreSQL, SKIP LOCKED) -------------------------------------------

DUE_ROWS = 120


def test_two_sweepers_at_once_process_disjoint_rows(postgres_transactional):
    from tests.factories import TenantFactory

    partner, customer = TenantFactory(), TenantFactory()
    for _ in range(DUE_ROWS):
        _due(partner, customer)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweeper():
        try:
            barrier.wait(timeout=10)
            done = 0
            while True:
                counts = services.sweep_due(batch_size=10)
                if not any(counts.values()):
                    break
                done += sum(counts.values())
            results.append(done)
        except Exception as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert sum(results) == DUE_ROWS
    audited = Counter(
        AuditEvent.objects.filter(action="gdap.expired").values_list("object_id", flat=True)
    )
    assert len(audited) == DUE_ROWS
    assert max(audited.values()) == 1  # no row audited twice
    assert not DelegatedAdminRelationship.objects.filter(status=Status.ACTIVE).exists()
