import time

from celery import shared_task

from partners import services


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
