"""Slow work cannot starve urgent work (issue 13): with the mail server hanging, the GDAP
expiry sweep still runs (its own queue and worker), and the hung sends end at the SMTP
timeout and go out once the server answers again."""

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from notifications import services
from notifications.models import OutboxMessage
from relationships.models import DelegatedAdminRelationship
from relationships.tasks import sweep_relationships
from tests.faults.conftest import wait_for
from tests.gdap_factories import DelegatedAdminRelationshipFactory
from tests.mail_contexts import GDAP_NOTICE

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

NOTICE = GDAP_NOTICE


def test_the_sweep_runs_while_smtp_hangs(smtp_sink, publish_to, spawn):
    smtp_sink.mode = "hang"
    mail_worker = spawn("worker", queues="mail", EMAIL_TIMEOUT=6)
    spawn("worker", queues="default,sweep,reminders")
    with transaction.atomic():
        services.queue_notices(
            template="gdap_expired",
            notices=[(f"admin{n}@contoso.example", "en", NOTICE) for n in range(20)],
        )
    wait_for(
        lambda: OutboxMessage.objects.filter(leased_until__isnull=False).exists(),
        15,
        "the mail worker to be stuck on the hung server",
    )
    past = timezone.now() - timedelta(minutes=5)
    ended = [
        DelegatedAdminRelationshipFactory(activated_at=past - timedelta(days=30), end_at=past)
        for _ in range(3)
    ]

    started = time.monotonic()
    sweep_relationships.apply_async()
    wait_for(
        lambda: (
            DelegatedAdminRelationship.objects.filter(
                pk__in=[r.pk for r in ended], status="expired"
            ).count()
            == 3
        ),
        15,
        "the sweep to expire the relationships",
    )
    swept_in = time.monotonic() - started
    assert swept_in < 6, "the sweep waited for the hung mail server"
    assert OutboxMessage.objects.filter(status="sent").count() == 0  # mail is still stuck

    # The hang ends at the SMTP timeout; once the server answers, every mail goes out once.
    wait_for(
        lambda: (
            "TimeoutError" in mail_worker.log()
            or OutboxMessage.objects.exclude(last_error="").exists()
        ),
        20,
        "the SMTP timeout",
    )
    smtp_sink.mode = "accept"
    spawn("beat")
    wait_for(
        lambda: not OutboxMessage.objects.exclude(status="sent").exists(),
        40,
        "the mail to go out once the server answers",
    )
    counts = smtp_sink.counts()
    assert set(counts) == set(OutboxMessage.objects.values_list("message_id", flat=True))
    assert max(counts.values()) == 1
