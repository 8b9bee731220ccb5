"""When sources are checked, and by whom: leases, the dispatcher, backoff.

The database says what is due (``Source.next_check_at``) and who holds a
source (``lease_token`` until ``lease_expires_at``); the broker only carries
"run check N with token T". Every dispatch takes a fresh token, and a worker
starts only by swapping the token it was given for its own, so a message
delivered twice, a message that outlived its lease, and a re-dispatch after a
worker died never run the same source twice at once.
"""

from __future__ import annotations

import logging
import random
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from claims.models import Source, SourceCheck

logger = logging.getLogger(__name__)

OPEN_STATES = (SourceCheck.State.QUEUED, SourceCheck.State.RUNNING)
SWEEP_BATCH = 500  # sources dispatched per sweep; the next sweep takes the rest


def check_interval(source: Source) -> timedelta:
    return source.check_interval or settings.RECHECK_DEFAULT_INTERVAL


def backoff_delay(
    *, interval: timedelta, failures: int, cap: timedelta | None = None, rng: random.Random | None = None
) -> timedelta:
    """Exponential backoff with "equal jitter": a delay in [d/2, d], d = min(cap, interval * 2**(failures-1)).

    Jitter spreads sources that failed together (one site down) over time;
    the cap bounds the wait however many failures pile up.
    """
    cap = cap or settings.RECHECK_MAX_BACKOFF
    exponent = min(max(failures, 1) - 1, 32)  # 2**32 intervals is past any cap
    ceiling = min(cap.total_seconds(), interval.total_seconds() * 2**exponent)
    return timedelta(seconds=(rng or random).uniform(ceiling / 2, ceiling))


def source_claim_lease(*, source_id: int, now: datetime | None = None) -> str | None:
    """Take the source for one dispatch if no live lease holds it; return the new token or None."""
    now = now or timezone.now()
    token = secrets.token_hex(16)
    taken = (
        Source.objects.filter(pk=source_id)
        .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now))
        .update(lease_token=token, lease_expires_at=now + settings.RECHECK_LEASE)
    )
    return token if taken else None


def source_start_lease(*, source_id: int, lease_token: str) -> str | None:
    """Swap a dispatch token for a run token; None when the token is stale (someone else has it)."""
    now = timezone.now()
    run_token = secrets.token_hex(16)
    swapped = Source.objects.filter(pk=source_id, lease_token=lease_token).update(
        lease_token=run_token, lease_expires_at=now + settings.RECHECK_LEASE
    )
    return run_token if swapped else None


def source_release_lease(*, source_id: int, lease_token: str) -> None:
    """Give the source back early (a publish failed) so the next sweep need not wait for expiry."""
    Source.objects.filter(pk=source_id, lease_token=lease_token).update(lease_token="", lease_expires_at=None)


def source_url_changed(*, source_id: int) -> None:
    """A source now points somewhere else: forget what the old URL answered and make it due now.

    The old URL's ETag, Last-Modified and body hash must not be sent to or
    compared with the new one, and its failure and "gone" counts (a mistyped
    URL that 404s) must not count against the new one or keep it backed off.
    Snapshots stay: they are the history of what the source said.
    """
    Source.objects.filter(pk=source_id).update(
        etag="",
        last_modified="",
        content_hash="",
        consecutive_failures=0,
        consecutive_gone=0,
        next_check_at=timezone.now(),
    )


def source_check_soon(*, source_id: int) -> bool:
    """Make a fetchable source due now (a quote was added or changed): the next sweep checks it.

    A due time already in the past is left alone. Nothing is published here,
    so a save in the admin needs no broker. Returns whether the source was moved up.
    """
    now = timezone.now()
    return bool(
        Source.objects.fetchable()
        .filter(pk=source_id)
        .filter(Q(next_check_at__isnull=True) | Q(next_check_at__gt=now))
        .update(next_check_at=now)
    )


def source_open_check(
    *, source_id: int, trigger: str, user: AbstractBaseUser | None = None
) -> tuple[SourceCheck, bool]:
    """The source's queued or running check, or a new one (the unique constraint keeps it single)."""
    existing = SourceCheck.objects.filter(source_id=source_id, state__in=OPEN_STATES).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            check = SourceCheck.objects.create(
                source_id=source_id,
                trigger=trigger,
                requested_by=user if user is not None and user.is_authenticated else None,
            )
    except IntegrityError:  # opened by someone else in between
        return SourceCheck.objects.get(source_id=source_id, state__in=OPEN_STATES), False
    return check, True


def publish_check(check_id: int, lease_token: str) -> None:
    """Put "run check N with token T" on the broker; raises kombu's OperationalError when it is down."""
    from claims.tasks import source_check_run  # the task module imports services, not the reverse

    source_check_run.apply_async(kwargs={"check_id": check_id, "lease_token": lease_token}, retry=False)


def publish_or_release(check_id: int, source_id: int, lease_token: str) -> None:
    """Publish a dispatched check; if the broker is down, log it and free the source for the next sweep."""
    try:
        publish_check(check_id, lease_token)
    except Exception:
        # Nothing is lost: the check stays queued and the source due; the next sweep retries.
        logger.warning("Broker unreachable; check %s left for the next sweep", check_id, exc_info=True)
        source_release_lease(source_id=source_id, lease_token=lease_token)


def source_dispatch(
    *,
    source_id: int,
    trigger: str = SourceCheck.Trigger.SCHEDULE,
    user: AbstractBaseUser | None = None,
    now: datetime | None = None,
    on_commit: Callable[[int, int, str], None] = publish_or_release,
) -> tuple[SourceCheck | None, str | None]:
    """Lease one source, open (or reuse) its check and enqueue it after commit.

    Returns (check, token); token is None when a live lease already holds the
    source (a worker is on it, or it was just dispatched): nothing is enqueued.
    """
    with transaction.atomic():
        token = source_claim_lease(source_id=source_id, now=now)
        if token is None:
            check = SourceCheck.objects.filter(source_id=source_id, state__in=OPEN_STATES).first()
            return check, None
        check, _created = source_open_check(source_id=source_id, trigger=trigger, user=user)
        transaction.on_commit(partial(on_commit, check.pk, source_id, token))
    return check, token


def recheck_dispatch_due(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> int:
    """The sweep: dispatch every due source that no live lease holds. Returns how many were enqueued.

    Safe to run twice at once or back to back: a source leased by the first
    run is not due for the second.
    """
    now = now or timezone.now()
    due = list(Source.objects.due_for_recheck(now).values_list("id", flat=True)[:limit])
    dispatched = 0
    for source_id in due:
        _check, token = source_dispatch(source_id=source_id, now=now)
        dispatched += token is not None
    if dispatched:
        logger.info("Re-check sweep dispatched %d of %d due sources", dispatched, len(due))
    return dispatched
