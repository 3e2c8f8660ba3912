"""The Celery configuration that the fault tests rely on (runs everywhere, no services)."""

from django.conf import settings

from config.celery_app import app


def our_tasks():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def queue_of(name: str) -> str:
    return app.amqp.router.route({}, name)["queue"].name


def test_every_task_has_a_soft_and_a_hard_time_limit():
    for name, task in our_tasks().items():
        assert task.soft_time_limit and task.time_limit, name
        assert task.soft_time_limit < task.time_limit, name


def test_mail_sweep_and_reminders_have_queues_of_their_own():
    queues = {name: queue_of(name) for name in our_tasks()}

    assert {q for n, q in queues.items() if n.startswith("notifications.")} == {"mail"}
    assert queues["relationships.tasks.sweep_relationships"] == "sweep"
    assert queues["relationships.tasks.expire_invitations"] == "sweep"
    assert queues["relationships.tasks.send_expiry_reminders"] == "reminders"
    assert queues["relationships.tasks.run_relationship_operation"] == "default"
    assert set(queues.values()) <= set(settings.WORKER_QUEUES)


def test_a_mail_task_ends_before_its_claim_lapses():
    """A hard-killed drain leaves its rows leased; they must not be taken while it runs."""
    for name, task in our_tasks().items():
        if name.startswith("notifications."):
            assert task.time_limit < settings.OUTBOX_LEASE_SECONDS
    assert (
        app.tasks["notifications.tasks.flush_outbox"].soft_time_limit
        > settings.OUTBOX_DRAIN_SECONDS
    )


def test_workers_retry_the_broker_for_ever_and_publishing_fails_fast():
    assert app.conf.broker_connection_retry is True
    assert app.conf.broker_connection_retry_on_startup is True
    assert app.conf.broker_connection_max_retries is None
    assert app.conf.task_publish_retry is False
    assert app.conf.broker_transport_options["max_retries"] == 1
    assert app.conf.task_acks_late is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_the_smtp_timeout_is_set():
    assert 0 < settings.EMAIL_TIMEOUT <= 30


def test_compose_runs_a_worker_per_queue_family_and_beat():
    from pathlib import Path

    import yaml

    compose = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text()
    )
    served = {}
    for name, service in compose["services"].items():
        command = service.get("command", "")
        if " worker " not in f" {command} ":
            continue
        args = command.split()
        queues = args[args.index("-Q") + 1].split(",")
        for queue in queues:
            assert queue not in served, f"{queue} served by {served.get(queue)} and {name}"
            served[queue] = name
        for flag in ("--without-gossip", "--without-mingle", "--without-heartbeat"):
            assert flag in args, (name, flag)
        assert service["healthcheck"]["test"]
    assert set(served) == set(settings.WORKER_QUEUES)
    assert len(set(served.values())) == len(settings.WORKER_QUEUES)
    assert "beat" in compose["services"]["beat"]["command"]
    assert "/healthz" in " ".join(compose["services"]["web"]["healthcheck"]["test"])
