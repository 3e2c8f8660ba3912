"""Workers ride out a broker outage: Redis stopped and started again, the worker and beat
keep running, reconnect, and mail queued while Redis was down goes out (issue 13)."""

import time

import pytest
from django.db import transaction

from notifications import services
from notifications.models import OutboxMessage
from tests.faults.conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

CONTEXT = {
    "tenant_name": "Fabrikam",
    "inviter": "Alice",
    "email": "dave@fabrikam.example",
    "set_password_url": "http://testserver/accounts/password/reset/",
}


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
