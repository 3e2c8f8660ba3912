from celery import shared_task

from notifications import services


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=7,
)
def send_outbox_message(self, message_id: str) -> bool:
    """Send one outbox row; a second run finds it sent and does nothing."""
    return services.send_message(message_id=message_id)


@shared_task
def send_outbox_batch(message_ids: list[str]) -> int:
    """Send a chunk of notices; one that fails is handed to its own retrying task."""
    sent = 0
    for message_id in message_ids:
        try:
            sent += services.send_message(message_id=message_id)
        except Exception:
            services.enqueue_send(message_id)
    return sent


@shared_task
def flush_outbox() -> int:
    """Beat job: re-queue mail left unsent."""
    return services.flush_pending()
