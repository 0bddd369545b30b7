"""Django's Redis cache, made to outlive a Redis restart.

Django's RedisCache raises on a refused connection or a timeout, so every request would answer
500 while Redis restarts. This one answers from the process's own memory meanwhile: rate limits
count per process, cached lookups are computed again, and RETRY_AFTER seconds later the next
call tries Redis again (so nobody waits for a timeout meanwhile). Each outage is logged once
per process, on one line with its reason.

What is written meanwhile (a count, a cached lookup, the deletion of a stale one) stays in that
process: cached lookups that change on an edit (the thesaurus, the shortcuts) expire within
their hour anyway.
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("core.cache")

RETRY_AFTER = 5.0  # seconds without trying Redis after it failed


def _guarded(operation: str):
    def method(self, *args, **kwargs):
        return self._call(operation, *args, **kwargs)

    method.__name__ = operation
    return method


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._fallback = LocMemCache(f"redis-fallback-{id(self)}", params)
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _failed(self, operation: str, error: Exception) -> None:
        with self._lock:
            already_down = time.monotonic() < self._down_until
            self._down_until = time.monotonic() + RETRY_AFTER
        if not already_down:
            logger.warning(
                "Redis did not answer during %s (%s: %s); this process uses its own memory "
                "for the cache and tries again in %g s",
                operation,
                type(error).__name__,
                error,
                RETRY_AFTER,
            )

    def _call(self, operation: str, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return getattr(self._fallback, operation)(*args, **kwargs)
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError) as error:
            self._failed(operation, error)
            return getattr(self._fallback, operation)(*args, **kwargs)

    # Every cache operation RedisCache implements, each through _call.
    add = _guarded("add")
    get = _guarded("get")
    set = _guarded("set")
    touch = _guarded("touch")
    delete = _guarded("delete")
    get_many = _guarded("get_many")
    has_key = _guarded("has_key")
    incr = _guarded("incr")
    set_many = _guarded("set_many")
    delete_many = _guarded("delete_many")
    clear = _guarded("clear")

    def ping(self) -> bool:
        """Whether Redis itself answers now (for /health/ready), whatever the back-off says."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except (RedisConnectionError, RedisTimeoutError):
            return False
