"""Fault tests: real PostgreSQL, a Redis server and an SMTP sink of the test's own (started,
stopped, hung), and real Celery worker and beat subprocesses on the test database.

Skipped without PostgreSQL or a `redis-server` binary; failed instead when
LIAISON_REQUIRE_SERVICES=1 (CI's PostgreSQL + Redis stage).
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import REQUIRE_SERVICES, missing, use_broker
from tests.faults.smtp_sink import SmtpSink, free_port

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).parent / "celery")


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


class RedisServer:
    """redis-server on a free port, no persistence; stop() and start() keep the port."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.ping, 10, "redis-server to answer")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


class Process:
    """A Celery worker or beat (or gunicorn) in its own process group."""

    def __init__(self, name: str, argv: list[str], env: dict, log_path: Path):
        self.name, self.argv, self.env, self.log_path = name, argv, env, log_path
        self.process: subprocess.Popen | None = None

    def start(self, ready: bytes | None = b"ready.", timeout: float = 60) -> "Process":
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if ready:
            wait_for(
                lambda: ready in self.log_path.read_bytes() or not self.alive(),
                timeout,
                f"{self.name} to start",
            )
            if not self.alive():
                pytest.fail(f"{self.name} exited:\n{self.log()[-3000:]}")
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the whole group: the worker and its pool processes, no clean-up."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.kill()
        except ProcessLookupError:
            pass


def database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def service_env(*, broker: str, smtp_port: int, **overrides) -> dict:
    """The environment of a worker or beat on the test database, our Redis and our sink.

    Retries come quickly (a 3-minute outage, scaled down); the cache stays in process so
    that only the broker is under test here.
    """
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": database_url(),
        "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "REDIS_URL": "",
        "CACHE_URL": "locmem://",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "EMAIL_TIMEOUT": "2",
        "OUTBOX_RETRY_FIRST_SECONDS": "0.5",
        "OUTBOX_RETRY_MAX_SECONDS": "2",
        "OUTBOX_FLUSH_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.update({key: str(value) for key, value in overrides.items()})
    return env


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

    def start(kind: str, *, queues: str = "default,mail,sweep,reminders", **env) -> Process:
        n = len(started)
        if kind == "worker":
            argv = [
                CELERY,
                "-A",
                "config.celery_app",
                "worker",
                "-Q",
                queues,
                "-c",
                "1",
                "-n",
                f"w{n}@%h",
                "-l",
                "info",
                # As docker-compose runs them: no gossip, mingle or heartbeat, the steps
                # that use the broker connection outside the consumer and crashed on
                # its loss ("'NoneType' object has no attribute 'hostname'").
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ]
        else:
            argv = [
                CELERY,
                "-A",
                "config.celery_app",
                "beat",
                "-l",
                "info",
                "-s",
                str(tmp_path / f"beat-schedule-{n}"),
            ]
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
