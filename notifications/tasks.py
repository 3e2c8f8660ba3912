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
def flush_outbox() -> int:
    """Beat job: re-queue mail left unsent."""
    return services.flush_pending()
