"""Faults: a worker killed mid-check, and a broker that is down when a re-check is requested."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from django.utils import timezone

from claims.models import Claim, Source, SourceCheck
from claims.services.rechecks import recheck_request
from claims.services.scheduling import recheck_dispatch_due
from tests.factories import UserFactory
from tests.fetching.servers import QUOTE, Page, PageServer, article, wait_for
from tests.rechecks.stack import BASE_DIR, LEASE_SECONDS, cite, free_port, run_check, stack_env

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_worker_killed_mid_check_is_checked_exactly_once_more(worker, pages: PageServer) -> None:
    # given a page that hangs, so the check is in the middle when the worker dies
    hang = threading.Event()
    url = pages.set("/hangs", Page(body=article(QUOTE.replace("20km", "10km")), hang=hang))
    claim, _evidence, source = cite(url)
    check = recheck_request(source_id=source.pk)
    wait_for(lambda: pages.hits["/hangs"] == 1, what="the worker to reach the page")

    # when the whole worker (main process and pool children) is killed with SIGKILL
    worker.kill()
    assert SourceCheck.objects.get(pk=check.pk).state != SourceCheck.State.DONE
    pages.set("/hangs", Page(body=article(QUOTE.replace("20km", "10km"))))
    hang.set()
    worker.start()

    # then the sweep, once the lease expires, re-dispatches the same open check and it runs once
    def swept_and_done() -> bool:
        recheck_dispatch_due()
        return SourceCheck.objects.filter(pk=check.pk, state=SourceCheck.State.DONE).exists()

    wait_for(swept_and_done, timeout=LEASE_SECONDS + 30, interval=0.5, what="the lost check to be re-run")
    done = SourceCheck.objects.get(pk=check.pk)
    assert SourceCheck.objects.filter(source=source).count() == 1
    assert pages.hits["/hangs"] == 2
    assert source.snapshots.count() == 1
    assert done.outcome == Source.Outcome.CHANGED
    claim.refresh_from_db()
    assert claim.needs_review and '"20km" became "10km"' in claim.review_reason
    assert claim.version == 2  # flagged exactly once
    assert claim.status == Claim.Status.UNVERIFIED


def test_a_check_whose_pool_process_died_runs_again_at_once_without_a_sweep(worker, pages: PageServer) -> None:
    # given a check in the middle of its fetch (the page hangs)
    hang = threading.Event()
    url = pages.set("/dies", Page(body=article(), hang=hang))
    _claim, _evidence, source = cite(url)
    check = recheck_request(source_id=source.pk)
    wait_for(lambda: pages.hits["/dies"] == 1, what="the worker to reach the page")

    # when the pool process running it is killed (the worker's main process lives on)
    assert worker.kill_pool_children() >= 1
    pages.set("/dies", Page(body=article()))
    hang.set()

    # then the message comes back (acks_late, reject_on_worker_lost) and its token is still the lease:
    # the check finishes with no sweep and no lease expiry involved
    wait_for(
        lambda: SourceCheck.objects.filter(pk=check.pk, state=SourceCheck.State.DONE).exists(),
        timeout=60,
        what="the re-delivered check to finish",
    )
    assert pages.hits["/dies"] == 2
    assert SourceCheck.objects.filter(source=source).count() == 1


def test_dispatcher_does_not_steal_a_live_lease(worker, pages: PageServer) -> None:
    # given a check that is running (the page hangs until released)
    hang = threading.Event()
    url = pages.set("/busy", Page(body=article(), hang=hang))
    _claim, _evidence, source = cite(url)
    check = recheck_request(source_id=source.pk)
    wait_for(lambda: pages.hits["/busy"] == 1, what="the worker to reach the page")

    # when the sweep runs and someone asks again while it is running
    swept = recheck_dispatch_due()
    again = recheck_request(source_id=source.pk)
    hang.set()

    # then nothing is enqueued twice, and the page is fetched once
    assert swept == 0
    assert again.pk == check.pk
    wait_for(lambda: SourceCheck.objects.filter(pk=check.pk, state="done").exists(), what="the check to finish")
    assert pages.hits["/busy"] == 1


def _run_with_dead_broker(args: list[str], page_port: int) -> subprocess.CompletedProcess[str]:
    env = stack_env(page_port, CELERY_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0")
    return subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("unmonitored", [False, True], ids=["monitored", "unmonitored-and-archived"])
def test_request_with_broker_down_raises_unavailable_and_the_sweep_runs_it_later(
    worker, pages: PageServer, unmonitored: bool
) -> None:
    # given a source (one the schedule would never pick, too), and a process whose broker URL points at a dead port
    url = pages.set("/later", body=article())
    _claim, _evidence, source = cite(url)
    if unmonitored:
        Source.objects.filter(pk=source.pk).update(is_monitored=False, is_archived=True)
    script = (
        "import django; django.setup()\n"
        "from claims.services.rechecks import RecheckUnavailable, recheck_request\n"
        f"try:\n    recheck_request(source_id={source.pk})\n"
        "except RecheckUnavailable as exc:\n    print('UNAVAILABLE', exc)\n"
    )

    # when it asks for a re-check
    started = time.monotonic()
    result = _run_with_dead_broker([sys.executable, "-c", script], pages.port)
    elapsed = time.monotonic() - started

    # then it is told at once, and the check is recorded, queued and due for the sweep
    assert "UNAVAILABLE" in result.stdout, result.stderr[-2000:]
    assert "will run automatically" in result.stdout
    assert elapsed < 30  # a bound against hanging, not a performance claim
    check = SourceCheck.objects.get(source=source)
    assert check.state == SourceCheck.State.QUEUED
    source.refresh_from_db()
    assert source.lease_expires_at is None
    assert source.next_check_at <= timezone.now()
    assert pages.hits["/later"] == 0

    # and when the broker is back, the next sweep runs that same check
    assert recheck_dispatch_due() == 1
    wait_for(lambda: SourceCheck.objects.filter(pk=check.pk, state="done").exists(), what="the swept check")
    assert pages.hits["/later"] == 1


def test_request_inside_a_transaction_with_broker_down_writes_nothing(worker, pages: PageServer) -> None:
    # given a caller that holds its own transaction (the publish would have to wait for its commit)
    url = pages.set("/atomic", body=article())
    _claim, _evidence, source = cite(url)
    script = (
        "import django; django.setup()\n"
        "from django.db import transaction\n"
        "from claims.services.rechecks import RecheckUnavailable, recheck_request\n"
        "try:\n    with transaction.atomic():\n"
        f"        recheck_request(source_id={source.pk})\n"
        "except RecheckUnavailable as exc:\n    print('UNAVAILABLE', exc)\n"
    )

    # when
    result = _run_with_dead_broker([sys.executable, "-c", script], pages.port)

    # then the broker was probed before anything was written, and the caller is told so
    assert "UNAVAILABLE" in result.stdout, result.stderr[-2000:]
    assert "was not started" in result.stdout
    assert not SourceCheck.objects.filter(source=source).exists()


def test_recheck_command_with_broker_down_exits_non_zero_with_one_line(worker, pages: PageServer) -> None:
    url = pages.set("/cmd", body=article())
    _claim, _evidence, source = cite(url)

    result = _run_with_dead_broker(
        [sys.executable, "manage.py", "recheck", "--source", str(source.pk)],
        pages.port,
    )

    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("CommandError")]
    assert len(errors) == 1 and "cannot be reached" in errors[0] and "--sync" in errors[0]
    assert SourceCheck.objects.filter(source=source, state=SourceCheck.State.QUEUED).count() == 1


def test_recheck_command_runs_in_process_with_sync(worker, pages: PageServer) -> None:
    url = pages.set("/sync", body=article())
    _claim, _evidence, source = cite(url)

    result = _run_with_dead_broker(
        [sys.executable, "manage.py", "recheck", "--source", str(source.pk), "--sync"], pages.port
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert "Checked 1 source: 1 changed." in result.stdout
    assert SourceCheck.objects.get(source=source).outcome == "changed"
    check = run_check(source)  # and the worker agrees afterwards
    assert check.outcome == "unchanged"


def test_source_list_recheck_action_with_broker_down_stops_at_the_first_source(worker, pages: PageServer) -> None:
    # given three selected sources, and an admin whose broker is down (each publish waits ~2 s)
    sources = [cite(pages.set(f"/s{i}", body=article()))[2] for i in range(3)]
    # (a superuser: transactional tests flush the groups the migrations create)
    editor = UserFactory(is_staff=True, is_superuser=True)
    script = (
        "import django; django.setup()\n"
        "from django.test.utils import setup_test_environment; setup_test_environment()\n"
        "from django.contrib.auth.models import User\n"
        "from django.test import Client\n"
        f"client = Client(); client.force_login(User.objects.get(pk={editor.pk}))\n"
        "response = client.post('/admin/claims/source/', {'action': 'recheck_sources', 'index': '0',\n"
        f"    '_selected_action': {[s.pk for s in sources]!r}}})\n"
        "print('STATUS', response.status_code)\n"
    )

    # when the editor runs "Re-check now" on them
    result = _run_with_dead_broker([sys.executable, "-c", script], pages.port)

    # then the first is recorded for the sweep and the others are not tried (no N x 2 s wait, no N errors)
    assert "STATUS 302" in result.stdout, result.stderr[-2000:]
    assert SourceCheck.objects.filter(source__in=sources).count() == 1
