"""Core's housekeeping task (for beat: daily is enough)."""

from celery import shared_task

from core.idempotency import purge_expired


@shared_task
def purge_idempotency_keys() -> int:
    """Delete the Idempotency-Key answers past their expiry."""
    return purge_expired()
