"""The GDAP expiry sweep on 100,000 relationships past their end (PostgreSQL only).

Generates the relationships in a throwaway database (every partner and customer tenant
has one admin, so each row also writes two notices and one audit event), then runs two
sweepers at once, each in its own thread and connection, calling `sweep_due` until
nothing is left, as two Celery workers running the beat job would. Prints

    sweep rows=100000 seconds=.. rate=.. double_processed=0 sweepers=2 notices=..

double_processed counts relationships that got more than one audit event (SKIP LOCKED
must hand each row to exactly one sweeper). Target: rate at least 10,000 rows/s.
Notices are written to the outbox; queueing their sends (a Redis publish per chunk in
production) is counted instead of published, so the figure is the sweep's own work.
"""

import threading
import time
import uuid
from datetime import timedelta
from unittest import mock

from django.db import connection, connections
from django.db.models import Count
from django.utils import timezone

from . import throwaway_db

ROWS = 100_000
TENANTS = 400  # 200 partners, 200 customers
CHUNK = 10_000


def _generate(now):
    from relationships.models import DelegatedAdminRelationship
    from roles.models import RoleDefinition
    from roles.permissions import GLOBAL_ADMIN_ID
    from tenants.models import Membership, Tenant, User

    tenants = Tenant.objects.bulk_create(
        [Tenant(name=f"Tenant {i}", slug=f"tenant-{i}", country="DE") for i in range(TENANTS)]
    )
    users = User.objects.bulk_create(
        [User(email=f"admin{i}@bench.example", password="!") for i in range(TENANTS)]
    )
    memberships = Membership.objects.bulk_create(
        [Membership(user=u, tenant=t) for u, t in zip(users, tenants, strict=True)]
    )
    Membership.roles.through.objects.bulk_create(
        [
            Membership.roles.through(membership_id=m.pk, roledefinition_id=GLOBAL_ADMIN_ID)
            for m in memberships
        ]
    )
    partners, customers = tenants[: TENANTS // 2], tenants[TENANTS // 2 :]
    helpdesk = RoleDefinition.objects.get(name="Helpdesk Administrator")
    for start in range(0, ROWS, CHUNK):
        batch = [
            DelegatedAdminRelationship(
                id=uuid.uuid4(),
                partner=partners[i % len(partners)],
                customer=customers[(i // len(partners)) % len(customers)],
                display_name=f"grant {i}",
                duration=timedelta(days=30),
                # every fifth one auto-extends: the sweep moves its end instead
                auto_extend_duration=timedelta(days=180) if i % 5 == 0 else timedelta(0),
                status=DelegatedAdminRelationship.Status.ACTIVE,
                activated_at=now - timedelta(days=31),
                end_at=now - timedelta(minutes=1 + i % 600),
            )
            for i in range(start, min(start + CHUNK, ROWS))
        ]
        DelegatedAdminRelationship.objects.bulk_create(batch)
        DelegatedAdminRelationship.approved_roles.through.objects.bulk_create(
            [
                DelegatedAdminRelationship.approved_roles.through(
                    delegatedadminrelationship_id=rel.pk, roledefinition_id=helpdesk.pk
                )
                for rel in batch
            ]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _sweeper(results: list, index: int, at) -> None:
    from relationships.services import sweep_due

    processed = 0
    try:
        while True:
            counts = sweep_due(at=at)
            done = counts["expired"] + counts["extended"]
            if not done:
                break
            processed += done
    finally:
        results[index] = processed
        connections.close_all()


def run() -> list[str]:
    if connection.vendor != "postgresql":
        return ["sweep skipped reason=needs PostgreSQL (set DATABASE_URL)"]
    from audit.models import AuditEvent
    from notifications.models import OutboxMessage

    # The drain request a sweep batch makes on commit is counted, not published.
    with throwaway_db(), mock.patch("notifications.services.outbox.kick") as enqueue:
        now = timezone.now()
        _generate(now)
        results = [0, 0]
        threads = [threading.Thread(target=_sweeper, args=(results, i, now)) for i in range(2)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        double = (
            AuditEvent.objects.filter(action__in=["gdap.expired", "gdap.auto_extended"])
            .values("object_id")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )
        processed = sum(results)
        notices = OutboxMessage.objects.count()
        batches = enqueue.call_count
    return [
        f"sweep rows={processed} seconds={seconds:.2f} rate={processed / seconds:.0f}"
        f" double_processed={double} sweepers=2 per_sweeper={results[0]}/{results[1]}"
        f" notices={notices} enqueue_calls={batches}"
    ]
