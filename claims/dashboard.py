"""Reads behind the admin's front-page dashboard: what the desk would rather look at than read."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Avg, Count, Min
from django.db.models.functions import TruncDate
from django.utils import timezone

from claims.fetching import registrable_host
from claims.models import TROUBLE_OUTCOMES, Claim, SourceCheck, StatusChange

STATUS_DAYS = 30
CHECK_DAYS = 14
SITE_DAYS = 7
TOP_SITES = 8


def _days(count: int, today: date) -> list[date]:
    return [today - timedelta(days=count - 1 - i) for i in range(count)]


def claims_by_status(*, today: date | None = None) -> tuple[list[date], dict[str, list[int]]]:
    """How many claims stood at each status at the end of each of the last 30 days (replayed from the history)."""
    today = today or timezone.now().date()
    days = _days(STATUS_DAYS, today)
    series = {status: [0] * len(days) for status in Claim.Status.values}
    current: dict[int, str] = {}
    changes = StatusChange.objects.order_by("changed_at", "id").values_list("claim_id", "to_status", "changed_at")
    pending = iter(changes)
    change = next(pending, None)
    for day_index, day in enumerate(days):
        while change is not None and change[2].date() <= day:
            current[change[0]] = change[1]
            change = next(pending, None)
        for status, count in Counter(current.values()).items():
            if status in series:
                series[status][day_index] = count
    return days, series


@dataclass(frozen=True)
class Queue:
    size: int
    oldest: datetime | None
    ages: dict[str, int]  # bucket label -> claims


def review_queue(*, now: datetime | None = None) -> Queue:
    now = now or timezone.now()
    flagged = Claim.objects.filter(needs_review=True, is_archived=False)
    limits = [("under 1 h", timedelta(hours=1)), ("1 to 24 h", timedelta(days=1)), ("1 to 7 days", timedelta(days=7))]
    buckets = {label: 0 for label, _ in limits} | {"over 7 days": 0}
    for flagged_at in flagged.values_list("review_flagged_at", flat=True):
        age = now - (flagged_at or now)
        label = next((label for label, limit in limits if age < limit), "over 7 days")
        buckets[label] += 1
    oldest = flagged.aggregate(oldest=Min("review_flagged_at"))["oldest"]
    return Queue(size=sum(buckets.values()), oldest=oldest, ages=buckets)


def check_outcomes(*, today: date | None = None) -> tuple[list[date], dict[str, list[int]]]:
    """Finished re-checks per day and outcome, the last 14 days."""
    today = today or timezone.now().date()
    days = _days(CHECK_DAYS, today)
    index = {day: i for i, day in enumerate(days)}
    rows = (
        SourceCheck.objects.filter(state=SourceCheck.State.DONE, finished_at__date__gte=days[0])
        .annotate(day=TruncDate("finished_at"))
        .values("day", "outcome")
        .annotate(n=Count("id"))
    )
    series: dict[str, list[int]] = defaultdict(lambda: [0] * len(days))
    for row in rows:
        if row["day"] in index:
            series[row["outcome"] or "none"][index[row["day"]]] += row["n"]
    return days, dict(series)


@dataclass(frozen=True)
class Site:
    host: str
    checks: int
    failures: int
    average_ms: int


def failing_sites(*, now: datetime | None = None) -> list[Site]:
    """Sites with the most failed checks in the last 7 days, with their average check time."""
    since = (now or timezone.now()) - timedelta(days=SITE_DAYS)
    rows = (
        SourceCheck.objects.filter(state=SourceCheck.State.DONE, finished_at__gte=since)
        .values("source__url", "outcome")
        .annotate(n=Count("id"), ms=Avg("duration_ms"))
    )
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for row in rows:
        host = registrable_host(row["source__url"] or "") or "(no URL)"
        entry = totals[host]
        entry[0] += row["n"]
        entry[2] += (row["ms"] or 0) * row["n"]
        if row["outcome"] in TROUBLE_OUTCOMES:
            entry[1] += row["n"]
    sites = [Site(h, int(n), int(f), int(ms / n) if n else 0) for h, (n, f, ms) in totals.items() if f]
    return sorted(sites, key=lambda s: (-s.failures, -s.average_ms, s.host))[:TOP_SITES]
