"""A real server for the benches: gunicorn sync workers (the production server; one by
default) on a Unix socket, serving tests.bench.wsgi, and a client timing requests to it.

Over HTTP both sides of a comparison pay what a user's request pays (the socket, HTTP
parsing, WSGI, every middleware); in-process the fixed cost of a page's frame alone would
dwarf a view that returns "ok".
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str):
        super().__init__("localhost", timeout=300)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


class Server:
    """`with Server(database) as server: status, body, ms = server.get("/partners/")`."""

    def __init__(
        self,
        database_name: str,
        *,
        app: str = "tests.bench.wsgi:application",
        workers: int = 1,
        env: dict[str, str] | None = None,
    ):
        self.database_name = database_name
        self.app, self.workers, self.env = app, workers, env or {}
        self.process: subprocess.Popen | None = None
        self._dir = tempfile.TemporaryDirectory(prefix="liaison-bench-")
        self.socket_path = os.path.join(self._dir.name, "gunicorn.sock")

    def __enter__(self) -> "Server":
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
            "BENCH_DATABASE_NAME": self.database_name,
            "PYTHONPATH": str(ROOT),
            **self.env,
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                self.app,
                "--bind",
                f"unix:{self.socket_path}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--timeout",
                "300",
                "--log-level",
                "warning",
                "--chdir",
                str(ROOT),
            ],
            env=env,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.get("/bench/ok")[0] == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError("the bench server did not start")
            time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._dir.cleanup()

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes, float]:
        """(status, body, milliseconds from sending the request to the last byte)."""
        connection = _UnixConnection(self.socket_path)
        try:
            started = time.perf_counter()
            connection.request("GET", path, headers={"Host": "testserver", **(headers or {})})
            response = connection.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
        finally:
            connection.close()
        return response.status, body, elapsed
