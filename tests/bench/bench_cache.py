"""The resilient cache (core.cache): what it costs while Redis answers, and while it is down.

Lines:
  cache wrapper overhead_ns=...          the wrapper's own cost per operation (no network)
  cache down first_get_us=... get_us=... Redis refusing: the first operation, then each one
                                         served from process memory (Redis not retried)
"""

import socket
import time

N = 100_000


def run() -> list[str]:
    from django.core.cache.backends.redis import RedisCache

    from core import cache as resilient

    class Plain(RedisCache):
        def get(self, key, default=None, version=None):
            return default

    # The wrapper around a Redis call that costs nothing, against that call alone.
    plain = Plain("redis://127.0.0.1:1/0", {})
    wrapped = resilient.ResilientRedisCache("redis://127.0.0.1:1/0", {})
    original = RedisCache.get
    RedisCache.get = Plain.get
    try:
        overhead = min(_per_op(wrapped.get) - _per_op(plain.get) for _ in range(3))
    finally:
        RedisCache.get = original

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = resilient.ResilientRedisCache(
        f"redis://127.0.0.1:{port}/0",
        {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    )
    started = time.perf_counter()
    down.get("k")
    first = time.perf_counter() - started
    each = _per_op(down.get, n=10_000)
    resilient._down_until.clear()
    return [
        f"cache wrapper overhead_ns={overhead * 1e9:.0f} ops={N}",
        f"cache down first_get_us={first * 1e6:.0f} get_us={each * 1e6:.1f}",
    ]


def _per_op(get, n: int = N) -> float:
    started = time.perf_counter()
    for _ in range(n):
        get("k")
    return (time.perf_counter() - started) / n
