"""The outbox against real services: PostgreSQL, Redis and a Celery worker subprocess.

Skipped without them (failed when LIAISON_REQUIRE_SERVICES=1, as in CI).
"""

import time

import pytest
from django.db import transaction

from notifications import services
from notifications.models import OutboxMessage
from tests.conftest import use_broker
from tests.mail_contexts import MEMBER_INVITED

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

CONTEXT = MEMBER_INVITED
CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"


def wait_until_sent(message, timeout=20.0) -> OutboxMessage:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.status != OutboxMessage.Status.PENDING:
            return message
        time.sleep(0.2)
    pytest.fail(f"outbox message still {message.status} after {timeout}s")


def queue_and_commit(to="dave@fabrikam.example") -> OutboxMessage:
    with transaction.atomic():
        return services.queue_mail(to=to, template="member_invited", context=CONTEXT, language="en")


def test_worker_sends_mail_queued_on_commit(postgres_transactional, celery_broker):
    message = wait_until_sent(queue_and_commit())

    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None


def test_mail_queued_while_the_broker_is_down_goes_out_once_it_is_back(
    postgres_transactional, celery_broker
):
    use_broker(CLOSED_PORT_BROKER)
    started = time.monotonic()
    message = queue_and_commit()
    assert services.kick() is False
    assert time.monotonic() - started < 5, "publishing must fail fast while the broker is down"
    time.sleep(1)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 0

    use_broker(celery_broker)
    assert services.kick() is True  # as the beat drain does

    message = wait_until_sent(message)
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None


def test_a_message_queued_twice_is_sent_once(postgres_transactional, celery_broker):
    message = queue_and_commit()
    services.kick()
    services.kick()

    message = wait_until_sent(message)
    time.sleep(1)  # let the duplicate tasks run too
    message.refresh_from_db()

    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
