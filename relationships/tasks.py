"""Beat jobs of relationships: the GDAP expiry sweep, expiry reminders, stale invitations."""

import time

from celery import shared_task

from relationships import services


@shared_task
def sweep_relationships(max_seconds: float = 50.0) -> dict:
    """Beat job (every minute): expire or auto-extend relationships past their end, in batches."""
    totals = {"expired": 0, "extended": 0}
    deadline = time.monotonic() + max_seconds
    while time.monotonic() < deadline:
        counts = services.sweep_due()
        for key in totals:
            totals[key] += counts[key]
        if not any(counts.values()):
            break
    return totals


@shared_task
def send_expiry_reminders() -> int:
    """Beat job: reminders at 30, 7 and 1 days before a relationship ends, each once."""
    return services.send_reminders()


@shared_task
def expire_invitations(max_seconds: float = 50.0, batch_size: int = 500) -> int:
    """Beat job (every 15 minutes): mark pending invitations past their expiry expired."""
    total = 0
    deadline = time.monotonic() + max_seconds
    while time.monotonic() < deadline:
        done = services.expire_stale(batch_size=batch_size)
        total += done
        if done < batch_size:
            break
    return total


@shared_task(time_limit=60)
def complete_access_assignment(assignment_id: str):
    """Activate a pending access assignment, or end one being removed (Graph's async work)."""
    return services.complete_access_assignment(assignment_id=assignment_id)


@shared_task(time_limit=60)
def run_relationship_operation(operation_id: str):
    """Carry out one long-running operation (an assignment's roles, Global Admin removal)."""
    return services.run_operation(operation_id=operation_id)


@shared_task
def resume_pending_work() -> int:
    """Beat job: queue again operations and assignments a broker outage left waiting."""
    return services.resume_pending()
