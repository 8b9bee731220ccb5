"""Password guesses per client address, for every login (the admin's and the API's token endpoint).

One limit, ``LOGIN_RATE_LIMIT`` (e.g. ``10/minute``), counted per client
address in the ``login_limits`` cache (Redis in production, shared by every
process). Every attempt counts, right or wrong, before the password is
checked, so a guesser learns nothing from the answer once over the limit.

The client address is the TCP peer, unless the peer is one of
``TRUSTED_PROXIES``: then ``X-Forwarded-For`` is read from the right, past
the trusted proxies, and the first address not trusted is the client (the
rightmost untrusted hop). A client that reaches gunicorn directly cannot
choose its address by sending the header.

While Redis is unreachable the count falls back to this process's memory:
a guesser gets at most the limit per web process, never an open door.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
# After a Redis failure, how long this process counts locally before trying Redis again.
REDIS_RETRY_SECONDS = 5.0

_local = LocMemCache("login-limits-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
_redis_down_until = 0.0
_state_lock = threading.Lock()


@dataclass(frozen=True)
class LoginLimit:
    allowed: bool
    attempts: int
    limit: int
    retry_after: int  # seconds until the window ends


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/minute"`` -> (10, 60); raises ValueError with the reason."""
    count, _, period = rate.partition("/")
    if not count.strip().isdigit() or int(count) < 1 or period.strip() not in PERIODS:
        raise ValueError(f"a login rate looks like 10/minute (per second, minute, hour or day), got {rate!r}")
    return int(count), PERIODS[period.strip()]


def _networks(entries: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: list[Any]) -> bool:
    return any(address in network for network in networks)


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def client_address(*, meta: Mapping[str, Any]) -> str:
    """The client's address: the TCP peer, or the rightmost untrusted X-Forwarded-For hop behind trusted proxies."""
    peer = str(meta.get("REMOTE_ADDR") or "")
    networks = _networks(settings.TRUSTED_PROXIES)
    current = _ip(peer)
    if current is None or not networks or not _trusted(current, networks):
        return peer
    hops = [hop for hop in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _ip(hop)
        if address is None:
            break  # garbage a trusted proxy passed on: the last good hop is what we know
        current = address
        if not _trusted(address, networks):
            break
    return str(current)


def _count(cache: BaseCache, key: str, period: int) -> tuple[int, float]:
    now = time.time()
    cache.add(f"{key}:start", now, period)
    cache.add(key, 0, period)
    try:
        attempts = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(key, 1, period)
        attempts = 1
    started = cache.get(f"{key}:start") or now
    # Caches without an atomic incr (files) set the count again with their default timeout.
    cache.touch(key, max(1, int(started + period - now)))
    return attempts, started


def _count_shared_or_local(key: str, period: int) -> tuple[int, float]:
    global _redis_down_until
    if time.monotonic() >= _redis_down_until:
        try:
            return _count(caches["login_limits"], key, period)
        except Exception as exc:  # any cache failure: count here instead
            with _state_lock:
                _redis_down_until = time.monotonic() + REDIS_RETRY_SECONDS
            logger.warning(
                "login limit cache unavailable, counting in this process",
                extra={"error": f"{type(exc).__name__}: {exc}"},
            )
    return _count(_local, key, period)


def login_attempt_register(*, address: str) -> LoginLimit:
    """Count one login attempt from ``address``; ``allowed`` is False once over ``LOGIN_RATE_LIMIT``."""
    limit, period = parse_rate(settings.LOGIN_RATE_LIMIT)
    attempts, started = _count_shared_or_local(f"login-attempts:{address}", period)
    retry_after = max(1, int(started + period - time.time()) + 1)
    return LoginLimit(allowed=attempts <= limit, attempts=attempts, limit=limit, retry_after=retry_after)


def login_limits_reset_local() -> None:
    """Forget this process's fallback counts and Redis state (tests)."""
    global _redis_down_until
    _local.clear()
    _redis_down_until = 0.0
