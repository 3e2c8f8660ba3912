"""`make faults`: the outage scenarios of issue 13, run as in production and measured.

gunicorn (3 workers), a Celery worker per queue family (mail, sweep, reminders, default)
and beat run on a PostgreSQL database of their own (`<DATABASE_URL's name>_faults`,
created and dropped), with a Redis server, an SMTP sink and a TCP proxy in front of
PostgreSQL that this script starts, stops and hangs. One line per scenario:

    broker_outage down_s=20 publish_s=.. workers_alive=4/4 beat_alive=1 delivered=2/2 ... PASS
    mail_outage_3min outage_s=180 sent=200 lost=0 doubled=0 delay_max_s=.. PASS

A scenario that fails prints FAIL on its line and the others still run; the exit status
is non-zero if any failed.

    python -m tests.faults.scenarios [name ...]

Environment: DATABASE_URL (PostgreSQL, required), FAULTS_OUTAGE_SECONDS (the mail outage,
default 180), FAULTS_MAILS (mails queued in it, default 200). Retries use the product's
defaults (first after a minute, doubling); only the mail lease is shortened to 30 s, so
that the killed-worker scenario does not wait five minutes.
"""

import http.client
import json
import os
import sys
import tempfile
import time
import traceback
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from tests.faults.harness import (
    Process,
    RedisServer,
    TcpProxy,
    beat_argv,
    database_url,
    service_env,
    wait_for,
    worker_argv,
)
from tests.faults.smtp_sink import SmtpSink, free_port
from tests.mail_contexts import GDAP_NOTICE

OUTAGE = float(os.environ.get("FAULTS_OUTAGE_SECONDS", "180"))
MAILS = int(os.environ.get("FAULTS_MAILS", "200"))
LEASE = 30
WORKERS = {"mail": ("mail", 2), "sweep": ("sweep", 1), "reminders": ("reminders", 1)}
WORKERS["default"] = ("default", 1)
CONTEXT = {
    "tenant_name": "Fabrikam",
    "inviter": "Alice",
    "email": "dave@fabrikam.example",
    "set_password_url": "http://127.0.0.1/accounts/password/reset/key/abcdefghijklmnopq-r/",
}
NOTICE = GDAP_NOTICE


class World:
    """The running system: servers, processes, and the HTTP port of gunicorn."""

    def __init__(self, workdir: Path, pg_port: int):
        self.workdir = workdir
        self.redis = RedisServer(workdir)
        self.sink = SmtpSink()
        self.db_proxy = TcpProxy(pg_port)
        self.http_port = free_port()
        self.workers: dict[str, Process] = {}
        self.beat: Process | None = None
        self.web: Process | None = None

    def env(self, **overrides) -> dict:
        return service_env(
            broker=self.redis.url,
            smtp_port=self.sink.port,
            REDIS_URL=self.redis.url.replace("/0", "/1"),
            CACHE_URL=self.redis.url.replace("/0", "/1"),
            EMAIL_TIMEOUT=10,
            OUTBOX_RETRY_FIRST_SECONDS=60,
            OUTBOX_RETRY_MAX_SECONDS=7200,
            OUTBOX_LEASE_SECONDS=LEASE,
            **overrides,
        )

    def start_worker(self, family: str) -> Process:
        queues, concurrency = WORKERS[family]
        process = Process(
            f"worker-{family}",
            worker_argv(family, queues, concurrency),
            self.env(),
            self.workdir / f"worker-{family}.log",
        ).start()
        self.workers[family] = process
        return process

    def start(self) -> "World":
        self.redis.start()
        self.sink.start()
        self.db_proxy.start()
        for family in WORKERS:
            self.start_worker(family)
        self.beat = Process(
            "beat", beat_argv(self.workdir / "beat-schedule"), self.env(), self.workdir / "beat.log"
        ).start(ready=b"beat: Starting")
        db = urlparse(os.environ["DATABASE_URL"])
        via_proxy = urlunparse(db._replace(netloc=f"{db.username}@127.0.0.1:{self.db_proxy.port}"))
        gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind"]
        gunicorn += [f"127.0.0.1:{self.http_port}", "--workers", "3", "--timeout", "30"]
        self.web = Process(
            "gunicorn",
            [*gunicorn, "--log-level", "warning"],
            self.env(DATABASE_URL=via_proxy, ALLOWED_HOSTS="127.0.0.1,localhost"),
            self.workdir / "gunicorn.log",
        ).start(ready=None)
        wait_for(lambda: self._answers(), 60, "gunicorn to answer")
        return self

    def _answers(self) -> bool:
        try:
            self.get("/healthz")
            return True
        except OSError:
            return False

    def get(self, path: str) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=30)
        try:
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def processes(self) -> list[Process]:
        return [*self.workers.values(), self.beat, self.web]

    def stop(self) -> None:
        for process in self.processes():
            if process is not None:
                process.stop()
        for thing in (self.sink, self.db_proxy):
            thing.stop()
        self.redis.stop()


# Scenarios -------------------------------------------------------------------------------


def _queue_mails(n: int, prefix: str) -> list:
    from django.db import transaction

    from notifications import services

    rows = []
    for i in range(n):  # one request each
        with transaction.atomic():
            rows.append(
                services.queue_mail(
                    to=f"{prefix}{i}@fabrikam.example",
                    template="member_invited",
                    context=CONTEXT,
                    language="en",
                    secrets=("set_password_url",),
                )
            )
    return rows


def _delivered(rows, sink) -> tuple[int, int, int]:
    """(rows sent, Message-IDs lost at the sink, extra copies at the sink) for rows."""
    from notifications.models import OutboxMessage

    ids = {row.message_id for row in rows}
    counts = sink.counts()
    sent = OutboxMessage.objects.filter(pk__in=[r.pk for r in rows], status="sent").count()
    lost = sum(1 for mid in ids if counts[mid] == 0)
    doubled = sum(counts[mid] - 1 for mid in ids if counts[mid] > 1)
    return sent, lost, doubled


def _all_sent(rows) -> bool:
    from notifications.models import OutboxMessage

    pks = [r.pk for r in rows]
    return OutboxMessage.objects.filter(pk__in=pks, status="sent").count() == len(pks)


def broker_outage(world: World) -> str:
    down_for = 20
    world.redis.stop()
    started = time.monotonic()
    (during,) = _queue_mails(1, "broker-during")
    publish_s = time.monotonic() - started
    time.sleep(down_for)
    alive = sum(p.alive() for p in world.workers.values())
    beat_alive = int(world.beat.alive())
    world.redis.start()
    back = time.monotonic()
    (after,) = _queue_mails(1, "broker-after")
    wait_for(lambda: _all_sent([during, after]), 150, "mail after the broker outage", 0.5)
    delivered_s = time.monotonic() - back
    crashed = sum("Unrecoverable error" in p.log() for p in world.workers.values())
    sent, lost, doubled = _delivered([during, after], world.sink)
    ok = alive == len(world.workers) and beat_alive and not crashed and sent == 2 and not lost
    return (
        f"broker_outage down_s={down_for} publish_s={publish_s:.2f} "
        f"workers_alive={alive}/{len(world.workers)} beat_alive={beat_alive} "
        f"unrecoverable={crashed} delivered={sent}/2 delivered_after_s={delivered_s:.0f} "
        f"lost={lost} doubled={doubled} {'PASS' if ok else 'FAIL'}"
    )


def mail_outage(world: World) -> str:
    from notifications.models import OutboxMessage

    world.sink.down()
    started = time.monotonic()
    rows = _queue_mails(MAILS, "outage")
    time.sleep(max(0.0, OUTAGE - (time.monotonic() - started)))
    world.sink.up()
    wait_for(lambda: _all_sent(rows), 3 * OUTAGE + 300, "mail after the outage", 1)
    sent, lost, doubled = _delivered(rows, world.sink)
    arrivals = world.sink.first_arrivals()
    created = dict(
        OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).values_list(
            "message_id", "created_at"
        )
    )
    delays = [arrivals[mid] - at.timestamp() for mid, at in created.items() if mid in arrivals]
    attempts = max(
        OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).values_list("attempts", flat=True)
    )
    ok = sent == MAILS and not lost and not doubled
    name = f"mail_outage_{OUTAGE / 60:.0f}min" if OUTAGE >= 60 else f"mail_outage_{OUTAGE:.0f}s"
    return (
        f"{name} outage_s={OUTAGE:.0f} sent={sent} lost={lost} doubled={doubled} "
        f"delay_max_s={max(delays):.0f} delay_after_outage_s={max(delays) - OUTAGE:.0f} "
        f"attempts_max={attempts} {'PASS' if ok else 'FAIL'}"
    )


def worker_killed_mid_batch(world: World) -> str:
    from django.db import transaction

    from notifications import services
    from notifications.models import OutboxMessage

    n = 150
    world.sink.delay = 0.02  # a slow server: a batch of 100 takes two seconds
    before = len(world.sink.received)
    tag = uuid.uuid4().hex[:8]
    with transaction.atomic():
        services.queue_notices(
            template="gdap_expired",
            notices=[(f"killed-{tag}-{i}@contoso.example", "en", NOTICE) for i in range(n)],
        )
    rows = list(OutboxMessage.objects.filter(to__startswith=f"killed-{tag}-"))
    wait_for(lambda: len(world.sink.received) - before >= 30, 60, "the batch under way", 0.05)
    world.workers["mail"].kill()
    received_at_kill = len(world.sink.received) - before
    world.sink.delay = 0
    world.start_worker("mail")
    wait_for(lambda: _all_sent(rows), LEASE + 200, "mail after the kill", 1)
    sent, lost, doubled = _delivered(rows, world.sink)
    ids = {r.message_id for r in rows}
    unknown = sum(1 for mid, *_ in world.sink.received[before:] if mid not in ids)
    ok = sent == n and not lost and not unknown
    return (
        f"worker_killed_mid_batch mails={n} received_at_kill={received_at_kill} sent={sent} "
        f"lost={lost} duplicates={doubled} duplicates_with_unknown_message_id={unknown} "
        f"lease_s={LEASE} {'PASS' if ok else 'FAIL'}"
    )


def smtp_hang_sweep(world: World) -> str:
    from django.db import transaction
    from django.utils import timezone

    from notifications import services
    from notifications.models import OutboxMessage
    from relationships.models import DelegatedAdminRelationship
    from relationships.tasks import sweep_relationships
    from tests.gdap_factories import DelegatedAdminRelationshipFactory

    world.sink.mode = "hang"
    tag = uuid.uuid4().hex[:8]
    with transaction.atomic():
        services.queue_notices(
            template="gdap_expired",
            notices=[(f"hang-{tag}-{i}@contoso.example", "en", NOTICE) for i in range(20)],
        )
    rows = list(OutboxMessage.objects.filter(to__startswith=f"hang-{tag}-"))
    wait_for(
        lambda: (
            OutboxMessage.objects.filter(pk__in=[r.pk for r in rows])
            .exclude(leased_until=None)
            .exists()
        ),
        30,
        "the mail worker to hang",
    )
    past = timezone.now() - timedelta(minutes=5)
    ended = [
        DelegatedAdminRelationshipFactory(activated_at=past - timedelta(days=30), end_at=past).pk
        for _ in range(200)
    ]
    started = time.monotonic()
    sweep_relationships.apply_async()
    wait_for(
        lambda: (
            DelegatedAdminRelationship.objects.filter(pk__in=ended, status="expired").count()
            == len(ended)
        ),
        60,
        "the sweep",
    )
    sweep_s = time.monotonic() - started
    sent_while_hung = OutboxMessage.objects.filter(
        pk__in=[r.pk for r in rows], status="sent"
    ).count()
    world.sink.mode = "accept"
    back = time.monotonic()
    wait_for(lambda: _all_sent(rows), 200, "mail after the hang", 1)
    sent, lost, doubled = _delivered(rows, world.sink)
    ok = sweep_s < 10 and not sent_while_hung and not lost and not doubled
    return (
        f"smtp_hang_sweep relationships={len(ended)} sweep_s={sweep_s:.1f} "
        f"mail_sent_while_hung={sent_while_hung} mail_delivered_after_s="
        f"{time.monotonic() - back:.0f} sent={sent} lost={lost} doubled={doubled} "
        f"{'PASS' if ok else 'FAIL'}"
    )


def redis_down_site_up(world: World) -> str:
    world.redis.stop()
    try:
        directory = world.get(f"/api/v1/directory/partners?q=r{uuid.uuid4().hex[:6]}")[0]
        healthz = world.get("/healthz")[0]
        home = world.get("/")[0]
    finally:
        world.redis.start()
    ok = directory == 200 and healthz == 200 and home < 500
    return (
        f"redis_down_site_up directory={directory} healthz={healthz} home={home} "
        f"{'PASS' if ok else 'FAIL'}"
    )


def database_down_503(world: World) -> str:
    world.db_proxy.down()
    try:
        status, headers, body = world.get(f"/api/v1/directory/partners?q=d{uuid.uuid4().hex[:6]}")
        healthz = world.get("/healthz")[0]
        readyz = world.get("/readyz")[0]
    finally:
        world.db_proxy.up()
    content_type = headers.get("Content-Type", "")
    try:
        json.loads(body)
        is_json = "json" in content_type
    except ValueError:
        is_json = False
    retry_after = headers.get("Retry-After", "")
    ok = status == 503 and is_json and bool(retry_after) and healthz == 200 and readyz == 503
    return (
        f"database_down_503 api={status} json={int(is_json)} retry_after={retry_after or '-'} "
        f"healthz={healthz} readyz={readyz} {'PASS' if ok else 'FAIL'}"
    )


SCENARIOS = {
    "broker_outage": broker_outage,
    "redis_down_site_up": redis_down_site_up,
    "database_down_503": database_down_503,
    "smtp_hang_sweep": smtp_hang_sweep,
    "worker_killed_mid_batch": worker_killed_mid_batch,
    "mail_outage": mail_outage,
}


# Running ---------------------------------------------------------------------------------


def _database(url: str) -> tuple[str, str]:
    """(the faults database's URL, its name): <name>_faults, created afresh."""
    import psycopg2

    parsed = urlparse(url)
    name = f"{parsed.path.lstrip('/')}_faults"
    admin = psycopg2.connect(url, dbname="postgres")  # the URL's database need not exist
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return urlunparse(parsed._replace(path=f"/{name}")), name


def _drop(url: str, name: str) -> None:
    import psycopg2

    admin = psycopg2.connect(url, dbname="postgres")  # the URL's database need not exist
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def main(argv: list[str]) -> int:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        print("faults skipped reason=needs PostgreSQL (set DATABASE_URL)", flush=True)
        return 1
    chosen = argv or list(SCENARIOS)
    url, name = _database(base)
    workdir = Path(tempfile.mkdtemp(prefix="liaison-faults-"))
    world = World(workdir, urlparse(base).port or 5432)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "true",
            "DATABASE_URL": url,
            "CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": world.redis.url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "REDIS_URL": world.redis.url.replace("/0", "/1"),
            "CACHE_URL": world.redis.url.replace("/0", "/1"),
        }
    )
    failed = 0
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        assert database_url().endswith(name)
        world.start()
        print(f"faults logs={workdir}", flush=True)
        for scenario in chosen:
            world.sink.up()
            world.sink.delay = 0
            world.sink.mode = "accept"
            started = time.monotonic()
            try:
                line = SCENARIOS[scenario](world)
            except Exception as exc:
                traceback.print_exc(file=sys.stderr)
                line = f"{scenario} FAIL error={type(exc).__name__}: {str(exc)[:200]}"
            failed += line.endswith("FAIL") or " FAIL " in line
            print(f"{line} seconds={time.monotonic() - started:.0f}", flush=True)
    finally:
        world.stop()
        from django.db import connections

        connections.close_all()
        _drop(base, name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
