"""Mail tasks, on the `mail` queue (config/settings.py CELERY_TASK_ROUTES).

The outbox row is the source of truth: a task only asks a worker to drain what is due, so
a task lost with the broker loses no mail (the beat drain finds the rows), and a task run
twice sends nothing twice (a claimed row is not due).
"""

from celery import shared_task

from notifications import services

# Stop sending after OUTBOX_DRAIN_SECONDS (50 s): the limits below only catch a hang the
# SMTP timeout did not, and stay below the lease (OUTBOX_LEASE_SECONDS, 300 s).
LIMITS = {"soft_time_limit": 120, "time_limit": 150}


@shared_task(**LIMITS)
def deliver_outbox(message_ids: list[str] | None = None) -> dict:
    """Send due mail in batches, one SMTP connection per run."""
    return services.deliver(ids=message_ids)


@shared_task(**LIMITS)
def flush_outbox() -> dict:
    """Beat job (every 15 s): drain whatever is due (retries, mail a broker outage held)."""
    return services.deliver()


# Names of the one-task-per-mail era, for tasks still queued at an upgrade.


@shared_task(**LIMITS)
def send_outbox_message(message_id: str) -> dict:
    return services.deliver(ids=[message_id])


@shared_task(**LIMITS)
def send_outbox_batch(message_ids: list[str]) -> dict:
    return services.deliver(ids=message_ids)
