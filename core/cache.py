"""A Redis cache that a Redis outage cannot take the portal down with.

Django's RedisCache raises when Redis is unreachable, which would turn every page that uses the
cache (the iCal feeds, the public pages) into a server error. This backend logs the outage and
behaves like an empty cache instead: reads miss, writes are dropped. After a failure it leaves
Redis alone for a few seconds, so a dead or black-holed server costs no time on each request.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
# Seconds to skip Redis after a failure, and between two log records of the same outage.
PAUSE_AFTER_FAILURE = 5.0
LOG_EVERY = 60.0


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, degrading to "nothing cached" while Redis is unreachable."""

    def __init__(self, server, params):
        options = {
            # Fail fast: a cache that answers slowly is worse than none.
            "socket_connect_timeout": 0.5,
            "socket_timeout": 0.5,
            # redis-py retries with backoff by default; a miss now is better than a wait.
            "retry": Retry(NoBackoff(), 0),
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        self._paused_until = 0.0
        self._last_logged = float("-inf")

    def _guarded(self, operation: str, fallback, call):
        now = time.monotonic()
        if now < self._paused_until:
            return fallback
        try:
            return call()
        except OUTAGE_ERRORS as error:
            self._paused_until = now + PAUSE_AFTER_FAILURE
            if now - self._last_logged >= LOG_EVERY:
                self._last_logged = now
                logger.warning("Cache unavailable, serving without it (%s): %s", operation, error)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            "add", False, lambda: RedisCache.add(self, key, value, timeout, version)
        )

    def get(self, key, default=None, version=None):
        return self._guarded("get", default, lambda: RedisCache.get(self, key, default, version))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded("set", None, lambda: RedisCache.set(self, key, value, timeout, version))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("touch", False, lambda: RedisCache.touch(self, key, timeout, version))

    def delete(self, key, version=None):
        return self._guarded("delete", False, lambda: RedisCache.delete(self, key, version))

    def get_many(self, keys, version=None):
        return self._guarded("get_many", {}, lambda: RedisCache.get_many(self, keys, version))

    def has_key(self, key, version=None):
        return self._guarded("has_key", False, lambda: RedisCache.has_key(self, key, version))

    def incr(self, key, delta=1, version=None):
        # Django's contract: a missing key raises ValueError, and while Redis is down every
        # key is missing.
        missing = object()
        result = self._guarded("incr", missing, lambda: RedisCache.incr(self, key, delta, version))
        if result is missing:
            raise ValueError(f"Key '{key}' not found")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            "set_many", list(data), lambda: RedisCache.set_many(self, data, timeout, version)
        )

    def delete_many(self, keys, version=None):
        self._guarded("delete_many", None, lambda: RedisCache.delete_many(self, keys, version))

    def clear(self):
        return self._guarded("clear", False, lambda: RedisCache.clear(self))
