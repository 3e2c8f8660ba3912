"""The database down: the API answers 503 JSON with Retry-After, pages a plain 503 page,
/healthz stays 200 and /readyz says 503. Before issue 13 the API answered an HTML 500.

A real gunicorn serves Liaison with DATABASE_URL on a port where nothing listens: every
connection attempt is refused, as when PostgreSQL is stopped.
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import stop_process
from tests.faults.http_support import closed_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = closed_port()
    db_port = closed_port()
    log_path = tmp_path_factory.mktemp("gunicorn") / "server.log"
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{db_port}/liaison_http_down"
        "?connect_timeout=2",
        "CONN_MAX_AGE": "0",
        "CACHE_URL": "locmem://",
        "CELERY_BROKER_URL": "",
        "EMAIL_URL": "consolemail://",
    }
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.2)
        yield base
    finally:
        stop_process(proc, log_path)


def fetch(url, *, headers=None, method="GET", data=None):
    request = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_healthz_answers_without_the_database(server):
    status, _, body = fetch(server + "/healthz")

    assert status == 200
    assert json.loads(body) == {"status": "ok"}


def test_readyz_says_the_database_is_down(server):
    status, headers, body = fetch(server + "/readyz")

    assert status == 503
    assert headers["Content-Type"] == "application/json"
    data = json.loads(body)
    assert data["status"] == "unavailable"
    assert data["checks"]["database"]["ok"] is False
    assert data["checks"]["cache"]["ok"] is True


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/directory/partners",
        "/api/v1/directory/facets",
        "/api/v1/directory/partners/00000000-0000-0000-0000-000000000000",
    ],
)
def test_the_api_answers_503_json_with_retry_after(server, path):
    status, headers, body = fetch(server + path)

    assert status == 503
    assert headers["Content-Type"] == "application/json"
    assert int(headers["Retry-After"]) > 0
    assert json.loads(body) == {
        "detail": "The service is temporarily unavailable. Try again later.",
        "code": "service_unavailable",
    }


def test_a_token_caller_gets_the_503_too(server):
    status, headers, body = fetch(
        server + "/api/v1/me", headers={"Authorization": "Bearer lia_notarealtoken"}
    )

    assert status == 503
    assert json.loads(body)["code"] == "service_unavailable"
    assert "Retry-After" in headers


def test_a_signed_in_api_caller_gets_json_not_a_page(server):
    """The session is read in a middleware, before any view: still JSON."""
    status, _, body = fetch(
        server + "/api/v1/me", headers={"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz123456"}
    )

    assert status == 503
    assert json.loads(body)["code"] == "service_unavailable"


@pytest.mark.parametrize("path", ["/partners/", "/t/00000000-0000-0000-0000-000000000000/"])
def test_pages_answer_a_plain_503_page(server, path):
    status, headers, body = fetch(
        server + path, headers={"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz123456"}
    )

    assert status == 503
    assert headers["Content-Type"].startswith("text/html")
    assert int(headers["Retry-After"]) > 0
    assert "Liaison is temporarily unavailable" in body
    assert "cdn" not in body.lower()


def test_the_503_page_speaks_german(server):
    status, _, body = fetch(server + "/partners/", headers={"Accept-Language": "de"})

    assert status == 503
    assert 'lang="de"' in body
    assert "Liaison ist vorübergehend nicht erreichbar" in body


def test_graph_answers_its_own_envelope(server):
    status, headers, body = fetch(
        server + "/graph/v1.0/tenantRelationships/delegatedAdminRelationships",
        headers={"Authorization": "Bearer lia_notarealtoken"},
    )

    assert status == 503
    assert json.loads(body)["error"]["message"]
    assert "Retry-After" in headers
