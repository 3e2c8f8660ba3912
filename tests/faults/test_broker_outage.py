"""Workers ride out a broker outage: Redis stopped and started again, the worker and beat
keep running, reconnect, and mail queued while Redis was down goes out (issue 13)."""

import time

import pytest
from django.db import transaction

from notifications import services
from notifications.models import OutboxMessage
from tests.faults.conftest import wait_for
from tests.mail_contexts import GDAP_NOTICE, MEMBER_INVITED

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

CONTEXT = MEMBER_INVITED
NOTICE = GDAP_NOTICE


def queue(to: str) -> OutboxMessage:
    with transaction.atomic():
        return services.queue_mail(to=to, template="member_invited", context=CONTEXT, language="en")


def sent(*messages) -> bool:
    pks = [m.pk for m in messages]
    return OutboxMessage.objects.filter(pk__in=pks, status="sent").count() == len(pks)


def test_worker_and_beat_survive_redis_going_away_and_deliver_after(
    redis_server, smtp_sink, publish_to, spawn
):
    worker = spawn("worker")
    beat = spawn("beat")
    before = queue("before@fabrikam.example")
    wait_for(lambda: sent(before), 20, "the first mail")

    redis_server.stop()
    started = time.monotonic()
    during = queue("during@fabrikam.example")  # the publish fails fast; the row waits
    assert time.monotonic() - started < 5
    time.sleep(8)  # well past "within seconds", several reconnect attempts
    assert worker.alive(), worker.log()[-3000:]
    assert beat.alive(), beat.log()[-3000:]

    redis_server.start()
    reconnected = b"Connected to redis"
    wait_for(lambda: reconnected in worker.log_path.read_bytes()[-20000:], 40, "reconnect")
    # Beat's drain picks up the mail queued during the outage; a new one goes out too.
    after = queue("after@fabrikam.example")
    wait_for(lambda: sent(during, after), 40, "mail queued during and after the outage")

    assert worker.alive() and beat.alive()
    assert "Unrecoverable error" not in worker.log()
    assert "Error on restarting" not in worker.log()
    ids = smtp_sink.counts()
    assert sorted(ids.values()) == [1, 1, 1]
    assert set(ids) == {m.message_id for m in OutboxMessage.objects.all()}


def test_a_worker_with_a_task_in_flight_survives_redis_going_away(
    redis_server, smtp_sink, publish_to, spawn
):
    """The crash of issue 13: losing the broker while holding an unacknowledged (late-ack)
    task made kombu's channel close ask a connection it had dropped for its hostname."""
    from notifications.models import OutboxMessage as Row

    smtp_sink.delay = 0.05  # a drain of 60 mails takes three seconds
    worker = spawn("worker", queues="mail")
    with transaction.atomic():
        services.queue_notices(
            template="gdap_expired",
            notices=[(f"admin{n}@contoso.example", "en", NOTICE) for n in range(60)],
        )
    wait_for(lambda: len(smtp_sink.received) >= 5, 20, "the drain to be under way", 0.05)

    redis_server.stop()  # the drain task is running, its message not yet acknowledged
    time.sleep(6)
    assert worker.alive(), worker.log()[-3000:]
    assert "Unrecoverable error" not in worker.log()

    redis_server.start()
    smtp_sink.delay = 0
    wait_for(lambda: not Row.objects.exclude(status="sent").exists(), 30, "the rest of the mail")
    after = queue("after@fabrikam.example")
    wait_for(lambda: sent(after), 40, "a mail queued after the outage")
    assert worker.alive()
    assert max(smtp_sink.counts().values()) == 1


@pytest.mark.parametrize("attempt", range(3))
def test_a_worker_busy_with_a_backlog_survives_redis_going_away(
    redis_server, smtp_sink, publish_to, spawn, attempt
):
    """Tasks flowing (received, run, acknowledged) when Redis stops: the scenario in which
    the worker died with "'NoneType' object has no attribute 'hostname'"."""
    from notifications.tasks import flush_outbox

    worker = spawn("worker", queues="mail", concurrency=2)
    for _ in range(400):
        flush_outbox.apply_async()
    wait_for(lambda: worker.log().count("succeeded") >= 40, 30, "the backlog to flow", 0.02)
    redis_server.stop()
    time.sleep(4)
    assert worker.alive(), worker.log()[-3000:]
    assert "Unrecoverable error" not in worker.log()
    redis_server.start()
    after = queue("after@fabrikam.example")
    wait_for(lambda: sent(after), 60, "a mail queued after the outage")
    assert worker.alive()
