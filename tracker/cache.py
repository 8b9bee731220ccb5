"""A Redis cache that degrades instead of failing requests when Redis is down.

The cache only ever holds things we can lose (throttling counters, cached
reads); PostgreSQL is the source of truth. So while Redis is unreachable a
read answers "miss", a write is dropped, and the request goes on. After a
failure the backend stops trying for ``DOWN_RETRY_SECONDS`` so a dead Redis
costs one connect timeout per process, not one per cache call.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

T = TypeVar("T")
DEFAULT_DOWN_RETRY_SECONDS = 5.0
_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)

# Shared by every backend instance in the process (Django makes one per thread).
_down_until: dict[str, float] = {}
_state_lock = threading.Lock()


class TolerantRedisCache(RedisCache):
    """django.core.cache.backends.redis.RedisCache that logs and degrades on connection errors.

    OPTIONS may carry ``DOWN_RETRY_SECONDS`` (default 5); every other option
    goes to the redis connection pool as usual.
    """

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self._retry_after = float(options.pop("DOWN_RETRY_SECONDS", DEFAULT_DOWN_RETRY_SECONDS))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._state_key = ",".join(self._servers)

    def _guard(self, operation: str, fallback: T, call: Callable[[], T]) -> T:
        if time.monotonic() < _down_until.get(self._state_key, 0.0):
            return fallback
        try:
            result = call()
        except _UNAVAILABLE as exc:
            with _state_lock:
                was_up = self._state_key not in _down_until
                _down_until[self._state_key] = time.monotonic() + self._retry_after
            if was_up:
                logger.warning(
                    "cache unavailable, serving without it",
                    extra={"operation": operation, "error": f"{type(exc).__name__}: {exc}"},
                )
            return fallback
        if self._state_key in _down_until:
            with _state_lock:
                if _down_until.pop(self._state_key, None) is not None:
                    logger.warning("cache available again", extra={"operation": operation})
        return result

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        # False ("not added") is the safe answer for callers that use add() as a lock.
        return self._guard("add", False, lambda: super(TolerantRedisCache, self).add(key, value, timeout, version))

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guard("get", default, lambda: super(TolerantRedisCache, self).get(key, default, version))

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._guard("set", None, lambda: super(TolerantRedisCache, self).set(key, value, timeout, version))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard("touch", False, lambda: super(TolerantRedisCache, self).touch(key, timeout, version))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guard("delete", False, lambda: super(TolerantRedisCache, self).delete(key, version))

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._guard("get_many", {}, lambda: super(TolerantRedisCache, self).get_many(keys, version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guard("has_key", False, lambda: super(TolerantRedisCache, self).has_key(key, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._guard("incr", delta, lambda: super(TolerantRedisCache, self).incr(key, delta, version))

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        # Reports every key as not stored, which is what happened.
        return self._guard(
            "set_many", list(data), lambda: super(TolerantRedisCache, self).set_many(data, timeout, version)
        )

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._guard("delete_many", None, lambda: super(TolerantRedisCache, self).delete_many(keys, version))

    def clear(self) -> bool:
        return self._guard("clear", False, lambda: super(TolerantRedisCache, self).clear())
