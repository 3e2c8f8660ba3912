"""Django's Redis cache backend, without its per-call client.

Django's RedisCacheClient builds a new `redis.Redis` for every cache operation; with
redis-py 6 that constructor (its table of response callbacks) costs more than the round
trip to Redis itself, and an API request makes several cache calls (the throttles, the
directory's response cache). A client is a thin, thread-safe wrapper over its connection
pool, so one per pool serves every call; the pools, their connections and every other
behaviour are Django's.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
