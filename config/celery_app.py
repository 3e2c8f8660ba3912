import os

import redis
from celery import Celery
from celery.signals import worker_init
from kombu.transport import redis as kombu_redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("liaison")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_to_start_without_a_key(**kwargs):
    """No key, no worker (config/settings.py): Django raises on the empty SECRET_KEY."""
    from django.conf import settings

    settings.SECRET_KEY  # noqa: B018


# A worker that loses Redis while it holds unacknowledged (late-ack) messages still acks
# them as their tasks finish, and closing the channel puts the rest back on their queue.
# Both go through kombu's Redis channel, which then asks its connection, already dropped,
# for its host: the AttributeError ("'NoneType' object has no attribute 'hostname'")
# escapes the handlers that expect connection errors, and the worker exits with
# "Unrecoverable error" instead of reconnecting (issue 13; reproduced in
# tests/faults/test_broker_outage.py). It is reported as the connection error it is: the
# ack is logged as lost (Redis delivers the message again after the visibility timeout,
# and every task is idempotent) and the worker's reconnect loop carries on.
_connparams = kombu_redis.Channel._connparams


def _connparams_of_a_live_connection(self, *args, **kwargs):
    if getattr(self.connection, "client", None) is None:
        raise redis.exceptions.ConnectionError("the broker connection is closed")
    return _connparams(self, *args, **kwargs)


kombu_redis.Channel._connparams = _connparams_of_a_live_connection
