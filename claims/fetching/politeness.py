"""Per-site politeness shared by every worker: minimum spacing and pauses.

State lives in the Django cache (Redis in a newsroom, the file cache on a
laptop) so all worker processes see the same per-host schedule. A short
``cache.add`` lock serialises the read-modify-write of a host's next free slot.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache

# A turn further off than this is not reserved: the check goes back to the
# database (due later) for a sweep. Nearer turns are reserved and the check
# comes back for it (a countdown re-publish); no worker sleeps for a turn.
MAX_WAIT_SECONDS = 10.0
# A turn this close is simply taken (shorter than a round trip through the broker).
_TAKE_WITHIN_SECONDS = 0.05
# Set inside turns_by_requeue(): (the caller can come back later, the host an earlier delivery reserved).
_REQUEUE: ContextVar[tuple[bool, str | None]] = ContextVar("politeness_requeue", default=(False, None))
_LOCK_SECONDS = 5
_PAUSE_AFTER_429S = 2  # repeated 429s without Retry-After pause the site
_DEFAULT_PAUSE_SECONDS = 300


class HostBusy(Exception):
    """This site may not be fetched yet; try again after ``retry_after`` seconds."""

    def __init__(
        self, host: str, retry_after: float, why: str, *, reserved: bool = False, crowded: bool = False
    ) -> None:
        self.host = host
        # Crowded: the site is only busy with our own queued fetches (no pause asked by the site).
        self.crowded = crowded
        # A reserved turn is exact; otherwise come back no sooner than a second.
        self.retry_after = retry_after if reserved else max(1.0, retry_after)
        self.reserved = reserved
        super().__init__(f"{host}: {why}; try again in {math.ceil(self.retry_after)} s")


@contextmanager
def turns_by_requeue(reserved_host: str | None = None) -> Iterator[None]:
    """Fetch without ever sleeping for a turn: a near turn is reserved and raised as HostBusy(reserved=True).

    The caller (a Celery task) re-publishes itself for that moment and comes
    back inside ``turns_by_requeue(host)``, which takes the reserved turn.
    Outside this context (intake, ``recheck --sync``) a near turn is slept for.
    """
    token = _REQUEUE.set((True, reserved_host))
    try:
        yield
    finally:
        _REQUEUE.reset(token)


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
    """Return when this worker may contact ``host``; raise HostBusy when that is too far off.

    A turn within MAX_WAIT_SECONDS is reserved for the caller; inside
    ``turns_by_requeue`` it is raised as HostBusy(reserved=True) instead of slept for.
    """
    paused_until = cache.get(_key("pause", host))
    now = time.time()
    if paused_until and paused_until > now:
        raise HostBusy(host, paused_until - now, "the site asked us to slow down")
    spacing = float(settings.FETCH_MIN_SPACING)
    if spacing <= 0:
        return
    by_requeue, reserved_host = _REQUEUE.get()
    if reserved_host == host:
        _REQUEUE.set((True, None))  # used once: a redirect back to this host waits its turn again
        return
    if not _with_lock(host):
        raise HostBusy(host, spacing, "another worker holds the site's schedule")
    try:
        now = time.time()
        slot = max(now, float(cache.get(_key("next", host)) or 0.0))
        # A task comes back for its turn (up to a sweep ahead), so it may book further out than a sleeper.
        horizon = max(MAX_WAIT_SECONDS, float(settings.RECHECK_SWEEP_SECONDS)) if by_requeue else MAX_WAIT_SECONDS
        if slot - now > horizon:
            raise HostBusy(host, slot - now, "too many fetches queued for this site", crowded=True)
        cache.set(_key("next", host), slot + spacing, timeout=math.ceil(slot - now + spacing) + 60)
    finally:
        cache.delete(_key("lock", host))
    if by_requeue and slot - now > _TAKE_WITHIN_SECONDS:
        raise HostBusy(host, slot - now, "the site's next turn is reserved for this fetch", reserved=True)
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
