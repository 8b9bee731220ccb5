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
from datetime import UTC, datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from claims.models import Source, SourceCheck

logger = logging.getLogger(__name__)

OPEN_STATES = (SourceCheck.State.QUEUED, SourceCheck.State.RUNNING)
SWEEP_BATCH = 500  # sources leased per statement; a sweep takes batches until nothing is due


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


def _due_ids(now: datetime, limit: int) -> list[int]:
    """Due sources no live lease holds, oldest due first: monitored ones, and any with a check asked for.

    A check asked for (an open queued check: a request made while the broker
    was down, or for an unmonitored or archived source) is an outbox entry:
    the sweep publishes it once the broker is back.
    """
    due = Q(next_check_at__isnull=True) | Q(next_check_at__lte=now)
    free = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now)
    scheduled = list(Source.objects.due_for_recheck(now).values_list("id", "next_check_at")[:limit])
    asked = list(
        Source.objects.exclude(url="")
        .filter(due, free, checks__state=SourceCheck.State.QUEUED)
        .order_by(F("next_check_at").asc(nulls_first=True), "id")
        .values_list("id", "next_check_at")[:limit]
    )
    oldest = datetime.min.replace(tzinfo=UTC)
    rows = sorted(set(scheduled) | set(asked), key=lambda row: (row[1] or oldest, row[0]))
    return [source_id for source_id, _when in rows[:limit]]


def _lease_batch(source_ids: list[int], now: datetime) -> tuple[str, list[int]]:
    """Lease those of ``source_ids`` still due and free, in one UPDATE; one token serves the batch.

    The conditions are checked again by the UPDATE itself, so a sweep working
    from a list that went stale (another sweep, a worker, a request got
    there first, or the source was rescheduled) never dispatches a source
    that is no longer due.
    """
    token = secrets.token_hex(16)
    due = Q(next_check_at__isnull=True) | Q(next_check_at__lte=now)
    free = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now)
    Source.objects.filter(due, free, pk__in=source_ids).exclude(url="").update(
        lease_token=token, lease_expires_at=now + settings.RECHECK_LEASE
    )
    return token, list(Source.objects.filter(pk__in=source_ids, lease_token=token).values_list("id", flat=True))


def _open_checks(source_ids: list[int]) -> dict[int, int]:
    """The open check of every leased source (reused when one exists), created in one INSERT otherwise."""
    open_checks = dict(
        SourceCheck.objects.filter(source_id__in=source_ids, state__in=OPEN_STATES).values_list("source_id", "id")
    )
    created = SourceCheck.objects.bulk_create(
        [SourceCheck(source_id=source_id) for source_id in source_ids if source_id not in open_checks]
    )
    open_checks.update({check.source_id: check.pk for check in created})
    return open_checks


def _publish_batch(checks: dict[int, int], token: str, failed: list[int]) -> None:
    """Publish every check of a leased batch; on a broker failure free the rest for a later sweep."""
    from claims.tasks import source_check_run

    published = 0
    try:
        with source_check_run.app.producer_or_acquire() as producer:
            for check_id in checks.values():
                kwargs = {"check_id": check_id, "lease_token": token}
                source_check_run.apply_async(kwargs=kwargs, retry=False, producer=producer)
                published += 1
    except Exception:
        # Nothing is lost: the checks stay queued and the sources due; a later sweep publishes them.
        logger.warning("Broker unreachable; %d checks left for the next sweep", len(checks) - published, exc_info=True)
        unpublished = list(checks)[published:]
        Source.objects.filter(pk__in=unpublished, lease_token=token).update(lease_token="", lease_expires_at=None)
        failed.append(len(unpublished))


def _in_flight_room(now: datetime) -> int:
    """How many more sources may be leased now: dispatched messages wait in the queue under their lease."""
    leased = Source.objects.filter(lease_expires_at__gt=now).count()
    return max(0, settings.RECHECK_MAX_IN_FLIGHT - leased)


def recheck_dispatch_due(*, now: datetime | None = None, limit: int | None = None) -> int:
    """The sweep: dispatch every due source that no live lease holds. Returns how many were enqueued.

    Batches of SWEEP_BATCH (one lease UPDATE, one INSERT of checks, one
    publish connection each) until nothing is due, up to RECHECK_MAX_IN_FLIGHT
    leased at once (a queue longer than the workers clear within the lease
    would only expire). Stops early when the broker is down.
    Safe to run twice at once or back to back: a source leased by the first
    run is not due for the second.
    """
    now = now or timezone.now()
    room = _in_flight_room(now) if limit is None else limit
    dispatched = 0
    failed: list[int] = []
    while room > 0 and not failed:  # a broker failure ends the sweep: the rest waits for a later one
        due = _due_ids(now, min(SWEEP_BATCH, room))
        if not due:
            break
        with transaction.atomic():
            token, leased = _lease_batch(due, now)
            checks = _open_checks(leased)
            transaction.on_commit(partial(_publish_batch, checks, token, failed))
        dispatched += len(checks)
        room -= len(due)
    dispatched -= sum(failed)
    if dispatched:
        logger.info("Re-check sweep dispatched %d sources", dispatched)
    return dispatched
