"""Processes and servers the fault tests and `make faults` start, stop and break: a Redis
server of their own, Celery workers and beat, gunicorn, a TCP proxy in front of PostgreSQL.
"""

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

from tests.faults.smtp_sink import free_port

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).parent / "celery")
# As docker-compose runs workers: no gossip, mingle or heartbeat, the steps that use the
# broker connection outside the consumer and crashed on its loss ("'NoneType' object has
# no attribute 'hostname'").
WORKER_FLAGS = ["--without-gossip", "--without-mingle", "--without-heartbeat"]


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")


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
                raise RuntimeError(f"{self.name} exited:\n{self.log()[-3000:]}")
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


def database_url(db: dict | None = None) -> str:
    """A postgres:// URL for Django's connection settings (the current database's)."""
    if db is None:
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


def worker_argv(name: str, queues: str, concurrency: int = 1) -> list[str]:
    return [
        CELERY, "-A", "config.celery_app", "worker", "-Q", queues, "-c", str(concurrency),
        "-n", f"{name}@%h", "-l", "info", *WORKER_FLAGS,
    ]  # fmt: skip


def beat_argv(schedule: Path) -> list[str]:
    return [CELERY, "-A", "config.celery_app", "beat", "-l", "info", "-s", str(schedule)]


class TcpProxy:
    """127.0.0.1:<port> forwarded to a target port; down() refuses and cuts connections."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1"):
        self.port = free_port()
        self.target = (target_host, target_port)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server = None
        self._writers: set = set()

    def start(self) -> "TcpProxy":
        self._thread.start()
        self.up()
        return self

    async def _pipe(self, reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _client(self, reader, writer):
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers.update({writer, up_writer})
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        self._writers.difference_update({writer, up_writer})

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    def up(self) -> None:
        async def listen():
            if self._server is None:
                self._server = await asyncio.start_server(
                    self._client, "127.0.0.1", self.port, reuse_address=True
                )

        self._call(listen())

    def down(self) -> None:
        async def close():
            if self._server is not None:
                self._server.close()
                self._server = None
            for writer in list(self._writers):
                writer.transport.abort()

        self._call(close())

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.down()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
