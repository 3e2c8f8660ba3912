"""/healthz and /readyz: no sign-in, no throttle, any host, and what each check says."""

from datetime import timedelta

import time_machine
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from notifications.models import OutboxMessage
from tests.faults.http_support import closed_port, unreachable_cache


def test_healthz_asks_nothing_of_the_database(client):
    response = client.get("/healthz")  # no db fixture: a query would raise

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_is_ready_in_two_queries(db, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/readyz", HTTP_HOST="10.0.0.7")  # a load balancer, by IP

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "mail_queue"}
    assert all(check["ok"] for check in body["checks"].values())


def test_readyz_is_not_throttled(db, client, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "1/minute", "user": None})

    answers = {client.get("/readyz/").status_code for _ in range(5)}

    assert answers == {200}


def _queue_mail():
    return OutboxMessage.objects.create(
        to="x@fabrikam.example", template="t", language="en", subject="s", body_text="b"
    )


def test_readyz_fails_when_mail_waits_too_long(db, client, settings):
    settings.READYZ_MAIL_QUEUE_MAX_AGE = 600
    with time_machine.travel(timezone.now() - timedelta(minutes=11)):
        _queue_mail()

    response = client.get("/readyz")

    assert response.status_code == 503
    mail = response.json()["checks"]["mail_queue"]
    assert mail["ok"] is False
    assert mail["oldest_age_seconds"] >= 660


def test_a_check_left_out_of_readyz_required_is_reported_only(db, client, settings):
    settings.READYZ_REQUIRED = ["database"]
    settings.CACHES = unreachable_cache(closed_port())

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["cache"]["ok"] is False


def test_readyz_fails_when_the_cache_is_down(db, client, settings):
    settings.CACHES = unreachable_cache(closed_port())

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response["Retry-After"]


def test_readyz_fails_when_the_broker_is_down(db, client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


def test_a_big_body_does_not_stop_healthz(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    response = client.get("/healthz", data=None, CONTENT_LENGTH="1000000")

    assert response.status_code == 200
