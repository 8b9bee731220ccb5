"""The dispatcher, leases and backoff, against PostgreSQL (no worker needed)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from claims.models import Source, SourceCheck
from claims.services.checking import source_check_run
from claims.services.scheduling import (
    SWEEP_BATCH,
    _lease_batch,
    backoff_delay,
    recheck_dispatch_due,
    source_dispatch,
)
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_dispatching_twice_enqueues_once(django_capture_on_commit_callbacks) -> None:
    # given three due sources and one that is not due yet
    due = SourceFactory.create_batch(3)
    SourceFactory(next_check_at=timezone.now() + timedelta(hours=1))

    # when the sweep runs twice
    with django_capture_on_commit_callbacks() as first:
        first_count = recheck_dispatch_due()
    with django_capture_on_commit_callbacks() as second:
        second_count = recheck_dispatch_due()

    # then each due source got one open check and one enqueue (one publish per batch)
    assert (first_count, len(first)) == (3, 1)
    assert (second_count, len(second)) == (0, 0)
    assert sorted(SourceCheck.objects.values_list("source_id", flat=True)) == sorted(s.pk for s in due)
    assert all(c.state == "queued" and c.trigger == "schedule" for c in SourceCheck.objects.all())


def test_one_sweep_dispatches_everything_due_in_batches(settings, django_capture_on_commit_callbacks) -> None:
    # given more due sources than one batch (no per-sweep cap), within the in-flight bound
    settings.RECHECK_MAX_IN_FLIGHT = 10_000
    Source.objects.bulk_create(
        [Source(name=f"S{n}", url=f"https://site{n % 7}.example/{n}", kind="web") for n in range(SWEEP_BATCH + 20)]
    )

    # when one sweep runs
    with django_capture_on_commit_callbacks() as published:
        count = recheck_dispatch_due()

    # then all are leased with one open check each, in two batches
    assert count == SWEEP_BATCH + 20
    assert len(published) == 2
    assert SourceCheck.objects.filter(state="queued").count() == SWEEP_BATCH + 20


def test_a_sweep_leases_no_more_than_the_in_flight_bound(settings, django_capture_on_commit_callbacks) -> None:
    settings.RECHECK_MAX_IN_FLIGHT = 5
    SourceFactory.create_batch(8)
    with django_capture_on_commit_callbacks():
        assert recheck_dispatch_due() == 5
        assert recheck_dispatch_due() == 0  # the five still hold their leases


def test_a_stale_due_list_never_dispatches_a_source_no_longer_due(django_capture_on_commit_callbacks) -> None:
    # given a sweep that listed two due sources, then one was checked (rescheduled) and one leased elsewhere
    rescheduled, taken, still_due = SourceFactory.create_batch(3)
    now = timezone.now()
    listed = [rescheduled.pk, taken.pk, still_due.pk]
    Source.objects.filter(pk=rescheduled.pk).update(next_check_at=now + timedelta(hours=6))
    _check, other_token = source_dispatch(source_id=taken.pk, on_commit=lambda *args: None)

    # when the sweep leases from its stale list
    token, leased = _lease_batch(listed, now)

    # then only the source still due and free is leased; the other lease is untouched
    assert leased == [still_due.pk]
    taken.refresh_from_db()
    assert taken.lease_token == other_token != token


def test_a_check_asked_for_an_unmonitored_source_is_swept_like_an_outbox(django_capture_on_commit_callbacks) -> None:
    # given an archived, unmonitored source with a check asked for while the broker was down (queued, unleased)
    source = SourceFactory(is_monitored=False, is_archived=True, next_check_at=timezone.now())
    SourceCheck.objects.create(source=source, trigger=SourceCheck.Trigger.ADMIN)

    # when the sweep runs, then it is dispatched (once), the schedule aside
    with django_capture_on_commit_callbacks() as published:
        assert recheck_dispatch_due() == 1
    assert len(published) == 1
    assert SourceCheck.objects.get().trigger == SourceCheck.Trigger.ADMIN
    assert recheck_dispatch_due() == 0


def test_unmonitored_archived_and_urlless_sources_are_not_dispatched() -> None:
    SourceFactory(is_monitored=False)
    SourceFactory(is_archived=True)
    SourceFactory(kind=Source.Kind.STATEMENT, url="")

    assert recheck_dispatch_due() == 0
    assert not SourceCheck.objects.exists()


def test_expired_lease_re_dispatches_the_same_open_check(settings, django_capture_on_commit_callbacks) -> None:
    # given a source dispatched once, whose task was lost (no worker ran it)
    settings.RECHECK_LEASE = timedelta(seconds=60)
    source = SourceFactory()
    check, lost_token = source_dispatch(source_id=source.pk)

    # when the sweep runs before and after the lease expires
    before = recheck_dispatch_due(now=timezone.now() + timedelta(seconds=30))
    with django_capture_on_commit_callbacks() as later:
        after = recheck_dispatch_due(now=timezone.now() + timedelta(seconds=61))

    # then only the second sweep re-enqueues, reusing the open check with a new token
    assert (before, after, len(later)) == (0, 1, 1)
    assert SourceCheck.objects.get().pk == check.pk
    source.refresh_from_db()
    assert source.lease_token not in ("", lost_token)
    # and the lost message, delivered late, does nothing
    assert source_check_run(check_id=check.pk, lease_token=lost_token) is None
    assert SourceCheck.objects.get().state == SourceCheck.State.QUEUED


def test_task_for_a_finished_or_deleted_check_does_nothing() -> None:
    source = SourceFactory()
    check, token = source_dispatch(source_id=source.pk)
    SourceCheck.objects.filter(pk=check.pk).update(state=SourceCheck.State.DONE, outcome="unchanged")

    assert source_check_run(check_id=check.pk, lease_token=token) is None
    assert source_check_run(check_id=check.pk + 1000, lease_token=token) is None
    source.refresh_from_db()
    assert source.lease_token == token  # untouched: nothing ran


@pytest.mark.parametrize("failures", [1, 2, 3, 5, 8, 13, 40, 10_000])
def test_backoff_grows_with_jitter_and_stays_under_the_cap(failures: int) -> None:
    interval, cap = timedelta(minutes=10), timedelta(hours=6)
    rng = random.Random(failures)
    ceiling = min(cap, interval * 2 ** min(failures - 1, 20))

    delays = [backoff_delay(interval=interval, failures=failures, cap=cap, rng=rng) for _ in range(200)]

    assert all(ceiling / 2 <= d <= ceiling <= cap for d in delays)
    assert len(set(delays)) > 1  # jittered, not one fixed instant


def test_setup_schedules_is_idempotent_and_keeps_an_editors_pause(settings) -> None:
    settings.RECHECK_SWEEP_SECONDS = 45
    call_command("setup_schedules", verbosity=0)
    PeriodicTask.objects.filter(task="claims.tasks.recheck_sweep").update(enabled=False)

    call_command("setup_schedules", verbosity=0)

    task = PeriodicTask.objects.get(task="claims.tasks.recheck_sweep")
    assert (task.interval.every, task.interval.period) == (45, "seconds")
    assert task.enabled is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "one of the arguments --source --all is required"),
        (["--source", "999999"], "No source with id 999999."),
        (["--all", "--source", "1"], "not allowed with argument"),
    ],
)
def test_recheck_command_refuses_bad_input(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("recheck", *args)


def test_recheck_command_refuses_a_source_without_url() -> None:
    source = SourceFactory(kind=Source.Kind.STATEMENT, url="")

    with pytest.raises(CommandError, match="has no URL"):
        call_command("recheck", "--source", str(source.pk))
