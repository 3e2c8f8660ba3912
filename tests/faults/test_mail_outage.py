"""Mail at least once with bounded delay, against a real worker, beat and an SMTP sink
(issue 13): a mail server outage loses and doubles nothing, a worker killed mid-batch
leaves duplicates that carry the row's Message-ID."""

import time

import pytest
from django.db import transaction

from notifications import services
from notifications.models import OutboxMessage
from tests.faults.conftest import wait_for
from tests.mail_contexts import GDAP_NOTICE, MEMBER_INVITED

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

NOTICE = GDAP_NOTICE
CONTEXT = MEMBER_INVITED


def all_sent(n: int) -> bool:
    return OutboxMessage.objects.filter(status="sent").count() == n


def test_mail_queued_during_an_outage_goes_out_once_when_the_server_is_back(
    smtp_sink, publish_to, spawn
):
    spawn("worker", queues="mail")
    spawn("beat")
    smtp_sink.down()
    for n in range(40):  # one request each
        with transaction.atomic():
            services.queue_mail(
                to=f"user{n}@fabrikam.example", template="member_invited", context=CONTEXT
            )
    with transaction.atomic():
        services.queue_notices(
            template="gdap_expired",
            notices=[(f"admin{n}@contoso.example", "en", NOTICE) for n in range(60)],
        )
    wait_for(
        lambda: OutboxMessage.objects.filter(attempts__gte=2).count() == 100,
        30,
        "every mail to be tried and retried while the server is down",
    )
    time.sleep(3)  # the outage goes on for several more retry rounds
    assert OutboxMessage.objects.filter(status="pending").count() == 100
    assert OutboxMessage.objects.exclude(last_error="").count() == 100

    smtp_sink.up()
    wait_for(lambda: all_sent(100), 30, "every mail to go out after the outage")

    counts = smtp_sink.counts()
    expected = set(OutboxMessage.objects.values_list("message_id", flat=True))
    assert set(counts) == expected  # none lost
    assert max(counts.values()) == 1  # none doubled
    assert services.outbox_health()["queued"] == 0


def test_a_worker_killed_mid_batch_resends_with_the_same_message_id(smtp_sink, publish_to, spawn):
    smtp_sink.delay = 0.02  # a slow server: a batch of 100 takes two seconds
    worker = spawn("worker", queues="mail", OUTBOX_LEASE_SECONDS=4)
    with transaction.atomic():
        services.queue_notices(
            template="gdap_expired",
            notices=[(f"admin{n}@contoso.example", "en", NOTICE) for n in range(150)],
        )
    wait_for(lambda: len(smtp_sink.received) >= 30, 30, "the batch to be under way")
    worker.kill()  # SIGKILL, worker and pool: nothing is marked sent for this batch
    killed_at = len(smtp_sink.received)
    assert OutboxMessage.objects.filter(status="sent").count() < killed_at

    smtp_sink.delay = 0
    spawn("worker", queues="mail", OUTBOX_LEASE_SECONDS=4)
    spawn("beat")
    wait_for(lambda: all_sent(150), 60, "every mail to go out after the lease lapses")

    counts = smtp_sink.counts()
    rows = set(OutboxMessage.objects.values_list("message_id", flat=True))
    assert set(counts) == rows  # none lost, no unknown Message-ID
    doubled = [mid for mid, n in counts.items() if n > 1]
    assert 0 < len(doubled) <= killed_at  # duplicates exist, each recognisable by its id
    assert max(counts.values()) == 2
