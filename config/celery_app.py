import os

import redis
from celery import Celery
from kombu.transport import redis as kombu_redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("liaison")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# A worker that loses Redis while it holds unacknowledged (late-ack) messages closes its
# channel, and the channel first puts those messages back on their queue. kombu's Redis
# transport then asks its connection, already dropped, for its host, and the
# AttributeError ("'NoneType' object has no attribute 'hostname'") escapes the handler
# that ignores connection errors: the worker exits with "Unrecoverable error" instead of
# reconnecting (issue 13; tests/faults/test_broker_outage.py reproduces it). With Redis
# gone nothing can be put back anyway; the messages stay in the unacked set and Redis
# delivers them again after the visibility timeout. So it is reported as the connection
# error it is, which the worker's reconnect loop handles.
_restore_unacked = kombu_redis.QoS.restore_unacked


def _restore_unacked_without_a_connection(self, client=None):
    try:
        return _restore_unacked(self, client)
    except AttributeError as exc:
        if getattr(self.channel.connection, "client", None) is not None:
            raise
        raise redis.exceptions.ConnectionError("broker connection already closed") from exc


kombu_redis.QoS.restore_unacked = _restore_unacked_without_a_connection
