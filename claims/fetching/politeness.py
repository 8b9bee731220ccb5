"""Per-site politeness shared by every worker: minimum spacing and pauses.

State lives in the Django cache (Redis in a newsroom, the file cache on a
laptop) so all worker processes see the same per-host schedule. A short
``cache.add`` lock serialises the read-modify-write of a host's next free slot.
"""

from __future__ import annotations

import math
import time
import uuid

from django.conf import settings
from django.core.cache import cache

# A worker never sleeps longer than this for its turn; past it the check is
# deferred to a later sweep instead of holding a worker slot.
MAX_WAIT_SECONDS = 10.0
_LOCK_SECONDS = 5
_PAUSE_AFTER_429S = 2  # repeated 429s without Retry-After pause the site
_DEFAULT_PAUSE_SECONDS = 300


class HostBusy(Exception):
    """This site may not be fetched yet; try again after ``retry_after`` seconds."""

    def __init__(self, host: str, retry_after: float, why: str) -> None:
        self.host = host
        self.retry_after = max(1.0, retry_after)
        super().__init__(f"{host}: {why}; try again in {math.ceil(self.retry_after)} s")


def _key(kind: str, host: str) -> str:
    return f"fetch:{kind}:{host}"


def _with_lock(host: str) -> bool:
    token = uuid.uuid4().hex
    deadline = time.monotonic() + _LOCK_SECONDS
    while time.monotonic() < deadline:
        if cache.add(_key("lock", host), token, timeout=_LOCK_SECONDS):
            return True
        time.sleep(0.02)
    return False


def wait_for_turn(host: str) -> None:
    """Block until this worker may contact ``host``; raise HostBusy when that is too far off."""
    paused_until = cache.get(_key("pause", host))
    now = time.time()
    if paused_until and paused_until > now:
        raise HostBusy(host, paused_until - now, "the site asked us to slow down")
    spacing = float(settings.FETCH_MIN_SPACING)
    if spacing <= 0:
        return
    if not _with_lock(host):
        raise HostBusy(host, spacing, "another worker holds the site's schedule")
    try:
        now = time.time()
        slot = max(now, float(cache.get(_key("next", host)) or 0.0))
        if slot - now > MAX_WAIT_SECONDS:
            raise HostBusy(host, slot - now, "too many fetches queued for this site")
        cache.set(_key("next", host), slot + spacing, timeout=math.ceil(slot - now + spacing) + 60)
    finally:
        cache.delete(_key("lock", host))
    if slot > now:
        time.sleep(slot - now)


def note_rate_limited(host: str, retry_after: float | None) -> float:
    """Record a 429/503 with Retry-After; pause the site when asked or after repeated 429s.

    Returns the pause in seconds (0 when none was set).
    """
    strikes_key = _key("429s", host)
    cache.add(strikes_key, 0, timeout=3600)
    try:
        strikes = cache.incr(strikes_key)
    except ValueError:  # expired between add and incr
        strikes = 1
    if retry_after is None and strikes < _PAUSE_AFTER_429S:
        return 0.0
    pause = retry_after if retry_after is not None else _DEFAULT_PAUSE_SECONDS * 2 ** (strikes - _PAUSE_AFTER_429S)
    pause = min(pause, settings.RECHECK_MAX_BACKOFF.total_seconds())
    cache.set(_key("pause", host), time.time() + pause, timeout=math.ceil(pause) + 1)
    return pause


def note_success(host: str) -> None:
    """A normal answer clears the site's 429 count."""
    cache.delete(_key("429s", host))


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
