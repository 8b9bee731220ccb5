"""Running one re-check: fetch, decide (cheapest first), record, flag.

Order of decisions, cheapest first: 304 Not Modified → same raw bytes as
last time → same normalised text as the latest snapshot → quote search.
The network part runs outside any transaction; everything the check
concludes (snapshot, evidence states, source counters, flags) is written in
one transaction, and only while the worker still holds the source's lease.
A re-check never changes a claim's status: it flags the claim for a person.
"""

from __future__ import annotations

import contextlib
import logging
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from claims import fetching
from claims.fetching import politeness
from claims.models import Source, SourceCheck, SourceSnapshot
from claims.services.alerts import alerts_source_recovered
from claims.services.check_findings import FAILURES, READABLE, judge_evidence, source_findings, source_recovery
from claims.services.check_summary import claims_record_last_check
from claims.services.review import claim_flag_for_review
from claims.services.scheduling import backoff_delay, check_interval, source_dispatch

logger = logging.getLogger(__name__)
Outcome = Source.Outcome

# Snapshots above this many bytes of text are stored zlib-compressed.
COMPRESS_ABOVE = 16 * 1024
# What each classified answer of the fetcher records; a page to read becomes changed or unchanged.
OUTCOME_OF = {
    fetching.Answer.NOT_MODIFIED: Outcome.NOT_MODIFIED,
    fetching.Answer.GONE: Outcome.GONE,
    fetching.Answer.MOVED: Outcome.MOVED,
    fetching.Answer.RATE_LIMITED: Outcome.ERROR,
    fetching.Answer.WALL: Outcome.UNVERIFIABLE,
    fetching.Answer.TOO_LARGE: Outcome.TOO_LARGE,
    fetching.Answer.TOO_SLOW: Outcome.TOO_SLOW,
    fetching.Answer.BLOCKED: Outcome.BLOCKED,
    fetching.Answer.FAILED: Outcome.ERROR,
}


@dataclass
class Observation:
    """What the fetch saw, before anything is written."""

    outcome: str
    reason: str = ""
    http_status: int | None = None
    final_url: str = ""
    etag: str = ""
    last_modified: str = ""
    raw_hash: str = ""
    text: str | None = None  # set when a new snapshot is due
    rate_limited: bool = False
    retry_after: float | None = None  # seconds, from a 429's Retry-After
    on_purpose: bool = False  # gone with a 410


def _observe(source: Source, latest_hash: str | None) -> Observation:
    conditional = latest_hash is not None
    result = fetching.fetch_page(
        source.url,
        etag=source.etag if conditional else "",
        last_modified=source.last_modified if conditional else "",
    )
    seen = Observation(
        OUTCOME_OF.get(result.answer, Outcome.ERROR),
        result.reason,
        http_status=result.status,
        final_url=result.url,
        etag=result.headers.get("etag", ""),
        last_modified=result.headers.get("last-modified", ""),
        rate_limited=result.answer == fetching.Answer.RATE_LIMITED,
        retry_after=result.retry_after,
        on_purpose=result.on_purpose,
    )
    if result.answer == fetching.Answer.PAGE:
        _read_text(seen, result, source, latest_hash)
    return seen


def _read_text(seen: Observation, response: fetching.PageResult, source: Source, latest_hash: str | None) -> None:
    seen.raw_hash = fetching.body_hash(response.body)
    if latest_hash is not None and seen.raw_hash == source.content_hash:
        seen.outcome, seen.reason = Outcome.UNCHANGED, "Same bytes as last time."
        return
    try:
        text = fetching.extract_main_text(response.body, response.headers.get("content-type", ""))
    except fetching.UnreadableContent as exc:
        seen.outcome, seen.reason = Outcome.UNVERIFIABLE, str(exc)
        return
    if latest_hash is not None and fetching.text_hash(text) == latest_hash:
        seen.outcome, seen.reason = Outcome.UNCHANGED, "The page changed around the text; the text is the same."
        return
    seen.outcome, seen.text = Outcome.CHANGED, text
    seen.reason = "The text changed since the last snapshot." if latest_hash else "First snapshot of this source."


def _snapshot(source: Source, text: str, final_url: str) -> SourceSnapshot:
    data = text.encode("utf-8")
    big = len(data) > COMPRESS_ABOVE
    return SourceSnapshot.objects.create(
        source=source,
        text_hash=fetching.text_hash(text),
        text="" if big else text,
        compressed_text=zlib.compress(data, 6) if big else None,
        size=len(data),
        final_url=final_url[:2000],
    )


def _next_check(source: Source, seen: Observation) -> datetime:
    now = timezone.now()
    interval = check_interval(source)
    if seen.rate_limited:
        return now + max(interval, timedelta(seconds=seen.retry_after or 0))
    if seen.outcome in FAILURES:
        return now + backoff_delay(interval=interval, failures=source.consecutive_failures)
    return now + interval


def _update_source(source: Source, seen: Observation) -> None:
    """Counters, validators, hashes and the next due time; releases the lease."""
    if seen.rate_limited:
        pass  # the site answered: neither a failure to reach it nor a success
    elif seen.outcome in FAILURES:
        source.consecutive_failures += 1
    else:
        source.consecutive_failures = 0
    source.consecutive_gone = source.consecutive_gone + 1 if seen.outcome == Outcome.GONE else 0
    if seen.outcome in (Outcome.CHANGED, Outcome.UNCHANGED):
        # A full answer replaces the validators, including with "none sent".
        source.etag, source.last_modified = seen.etag[:500], seen.last_modified[:100]
    elif seen.outcome == Outcome.NOT_MODIFIED:
        source.etag = seen.etag[:500] or source.etag
        source.last_modified = seen.last_modified[:100] or source.last_modified
    if seen.raw_hash:
        source.content_hash = seen.raw_hash
    source.last_checked_at = timezone.now()
    source.last_outcome = seen.outcome
    source.next_check_at = _next_check(source, seen)
    source.lease_token, source.lease_expires_at = "", None


# What a finished check writes to its source, in one conditional UPDATE.
_SOURCE_FIELDS = (
    "consecutive_failures",
    "consecutive_gone",
    "etag",
    "last_modified",
    "content_hash",
    "last_checked_at",
    "last_outcome",
    "next_check_at",
    "lease_token",
    "lease_expires_at",
    "last_check",
)


def _close_check(check: SourceCheck, seen: Observation, snapshot: SourceSnapshot | None, duration_ms: int) -> None:
    check.state, check.finished_at = SourceCheck.State.DONE, timezone.now()
    check.outcome, check.reason = seen.outcome, seen.reason
    check.http_status, check.final_url = seen.http_status, seen.final_url[:2000]
    check.duration_ms, check.snapshot = duration_ms, snapshot
    check.save(
        update_fields=[
            "state",
            "started_at",
            "finished_at",
            "outcome",
            "reason",
            "http_status",
            "final_url",
            "duration_ms",
            "snapshot",
            "recovered_from",
            "recovered_after",
        ]
    )


def _latest_text(source_id: int) -> str | None:
    latest = SourceSnapshot.objects.filter(source_id=source_id).order_by("-taken_at", "-id").first()
    return latest.content if latest else None


def _record(check: SourceCheck, lease_token: str, seen: Observation, duration_ms: int, latest_hash: str | None) -> bool:
    """Write everything the check concluded, in one transaction, if the source's lease is still this dispatch's.

    The lease is checked by the UPDATE of the source itself (no SELECT ... FOR
    UPDATE first): an unchanged check is five statements and one commit.
    """
    source = check.source
    previous_outcome = source.last_outcome
    with transaction.atomic():
        snapshot = _snapshot(source, seen.text, seen.final_url) if seen.text is not None else None
        _update_source(source, seen)
        source.last_check = check
        held = Source.objects.filter(pk=source.pk, lease_token=lease_token).update(
            **{field: getattr(source, field) for field in _SOURCE_FIELDS}
        )
        if not held:
            logger.warning("Check %s lost its lease on source %s; result dropped", check.pk, source.pk)
            transaction.set_rollback(True)
            return False
        recovery = source_recovery(source=source, seen_outcome=seen.outcome, previous_outcome=previous_outcome)
        if recovery is not None:
            check.recovered_from, check.recovered_after = recovery
        _close_check(check, seen, snapshot, duration_ms)
        claims_record_last_check(check=check)
        _flag_findings(check, source, seen, previous_outcome, snapshot, latest_hash)
        if recovery is not None:
            alerts_source_recovered(source=source, recovered_from=recovery[0], after_checks=recovery[1])
    return True


def _flag_findings(
    check: SourceCheck,
    source: Source,
    seen: Observation,
    previous_outcome: str,
    snapshot: SourceSnapshot | None,
    latest_hash: str | None,
) -> None:
    findings = source_findings(
        source=source,
        seen_outcome=seen.outcome,
        previous_outcome=previous_outcome,
        reason=seen.reason,
        http_status=seen.http_status,
    )
    if seen.outcome in READABLE and (snapshot is not None or latest_hash is not None):
        # Unchanged text: only quotes never checked yet need a look, against the latest snapshot.
        new_text = seen.text
        quote_findings = judge_evidence(
            source=source,
            load_text=(lambda: new_text) if snapshot is not None else (lambda: _latest_text(source.pk)),
            text_changed=snapshot is not None and latest_hash is not None,
            only_unchecked=snapshot is None,
        )
        for claim_id, notes in quote_findings.items():
            findings.setdefault(claim_id, []).extend(notes)
    for claim_id, problems in sorted(findings.items()):
        reason = f'Re-check of "{source.name}": ' + "; ".join(problems) + "."
        claim_flag_for_review(claim_id=claim_id, reason=reason, check=check)


def _defer(check: SourceCheck, lease_token: str, busy: fetching.HostBusy) -> None:
    """The site may not be contacted yet: put the check back for a later sweep, no outcome recorded."""
    wait = busy.retry_after
    if busy.crowded:
        # Only our own queue is ahead: be due a sweep before the site's schedule frees up, so
        # the sweep hands the source back in time to book the next free turn, leaving no gap.
        wait = max(0.0, wait - settings.RECHECK_SWEEP_SECONDS)
    Source.objects.filter(pk=check.source_id, lease_token=lease_token).update(
        lease_token="", lease_expires_at=None, next_check_at=timezone.now() + timedelta(seconds=wait)
    )
    logger.info("Check %s deferred: %s", check.pk, busy)


def _open_check(check_id: int) -> SourceCheck | None:
    """The check with its source and the latest snapshot's text hash, in one statement."""
    latest = SourceSnapshot.objects.filter(source_id=OuterRef("source_id")).order_by("-taken_at", "-id")
    return (
        SourceCheck.objects.select_related("source")
        .annotate(latest_hash=Subquery(latest.values("text_hash")[:1]))
        .filter(pk=check_id)
        .first()
    )


def source_check_run(
    *,
    check_id: int,
    lease_token: str,
    requeue: Callable[[fetching.HostBusy], bool] | None = None,
    reserved_host: str | None = None,
) -> SourceCheck | None:
    """Run one dispatched check. Idempotent: a check already done, or a stale token, does nothing.

    Nothing is written before the fetch: the dispatch token is the lease, and
    the result is stored only if the source still carries it (one commit per
    check). A second delivery of the same message (its worker died, or the
    database was away during the write and the task is retried) therefore
    runs again at once instead of waiting for the lease to expire; two
    deliveries at once cost one extra fetch, and only the first result is kept.

    With ``requeue`` (the worker's task), no fetch sleeps for the site's turn:
    a near turn is reserved and ``requeue(busy)`` re-publishes the task for
    that moment (it comes back with ``reserved_host``). Without it, or when it
    declines (the turn is far off), the source is made due later for a sweep.
    Returns the finished (or deferred) check, or None when there was nothing to do.
    """
    check = _open_check(check_id)
    if check is None or check.state == SourceCheck.State.DONE or check.source.lease_token != lease_token:
        return None  # finished, or re-dispatched since: another message owns the source
    check.started_at = timezone.now()
    started = time.monotonic()
    turns = politeness.turns_by_requeue(reserved_host) if requeue else contextlib.nullcontext()
    try:
        with turns:
            seen = _observe(check.source, check.latest_hash)
    except fetching.HostBusy as busy:
        if requeue is None or not requeue(busy):
            _defer(check, lease_token, busy)
        return check
    except Exception as exc:
        # Recorded (and backed off) like any failure, rather than retried by every sweep forever.
        logger.exception("Check %s of source %s failed unexpectedly", check.pk, check.source_id)
        seen = Observation(Outcome.ERROR, f"The check failed unexpectedly ({exc.__class__.__name__}).")
    _record(check, lease_token, seen, int((time.monotonic() - started) * 1000), check.latest_hash)
    return check


def source_check_now(
    *, source_id: int, trigger: str = SourceCheck.Trigger.COMMAND, user: AbstractBaseUser | None = None
) -> SourceCheck | None:
    """Check one source in this process (the ``recheck --sync`` command, tests); None when it is busy."""
    check, token = source_dispatch(source_id=source_id, trigger=trigger, user=user, on_commit=lambda *args: None)
    if token is None or check is None:
        return None
    return source_check_run(check_id=check.pk, lease_token=token)
