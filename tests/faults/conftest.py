"""Fault tests: real PostgreSQL, a Redis server and an SMTP sink of the test's own (started,
stopped, hung), and real Celery worker and beat subprocesses on the test database.

Skipped without PostgreSQL or a `redis-server` binary; failed instead when
LIAISON_REQUIRE_SERVICES=1 (CI's PostgreSQL + Redis stage).
"""

import os
import shutil

import pytest

from tests.conftest import REQUIRE_SERVICES, missing, use_broker
from tests.faults.harness import (
    Process,
    RedisServer,
    beat_argv,
    service_env,
    wait_for,  # noqa: F401 (the tests import it from here)
    worker_argv,
)
from tests.faults.smtp_sink import SmtpSink


@pytest.fixture
def fault_services(postgres_transactional):
    """PostgreSQL (the test database, committed to) and a redis-server binary."""
    if not shutil.which("redis-server"):
        missing("needs redis-server on PATH", required=REQUIRE_SERVICES)
    return postgres_transactional


@pytest.fixture
def redis_server(fault_services, tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def smtp_sink(fault_services):
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def publish_to(redis_server):
    """The test process publishes (on commit, like the web) to our Redis, for real."""
    from config.celery_app import app

    old_env = os.environ.get("CELERY_BROKER_URL")
    old_url, old_eager = app.conf.broker_url, app.conf.task_always_eager
    app.conf.task_always_eager = False
    use_broker(redis_server.url)
    yield redis_server.url
    app.conf.task_always_eager = old_eager
    use_broker(old_url)
    if old_env is None:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ["CELERY_BROKER_URL"] = old_env


@pytest.fixture
def spawn(redis_server, smtp_sink, tmp_path):
    """spawn("worker", queues="mail", **env) / spawn("beat"): started, stopped at the end."""
    started: list[Process] = []

    def start(
        kind: str, *, queues: str = "default,mail,sweep,reminders", concurrency=1, **env
    ) -> Process:
        n = len(started)
        if kind == "worker":
            argv = worker_argv(f"w{n}", queues, concurrency)
        else:
            argv = beat_argv(tmp_path / f"beat-schedule-{n}")
        process = Process(
            f"{kind}-{n}",
            argv,
            service_env(broker=redis_server.url, smtp_port=smtp_sink.port, **env),
            tmp_path / f"{kind}-{n}.log",
        )
        started.append(process)
        return process.start(ready=b"ready." if kind == "worker" else b"beat: Starting")

    yield start
    for process in started:
        process.stop()
    for process in started:
        tail = process.log()[-4000:]
        print(f"----- {process.name} log (tail) -----\n{tail}")
