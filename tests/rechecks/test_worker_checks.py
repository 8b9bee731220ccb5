"""Re-checks through the real stack: API-style request → Redis → Celery worker → local site → PostgreSQL."""

from __future__ import annotations

import pytest

from claims.models import Claim, Evidence, Source, SourceCheck
from claims.services.review import claim_recovery_notes
from claims.tasks import recheck_sweep
from tests.fetching.servers import QUOTE, Page, PageServer, article, wait_for
from tests.rechecks.stack import MAX_BYTES, TOTAL_TIMEOUT, cite, run_check

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def reloaded(*objects):  # type: ignore[no-untyped-def]
    for obj in objects:
        obj.refresh_from_db()
    return objects


def test_unchanged_page_keeps_one_snapshot_and_answers_304(worker, pages: PageServer) -> None:
    # given a cited page that supports conditional requests
    url = pages.set("/same", Page(body=article(), etag='"v1"'))
    claim, evidence, source = cite(url)

    # when it is checked three times: first fetch, 304, then the same bytes without an ETag
    first = run_check(source)
    second = run_check(source)
    pages.set("/same", Page(body=article()))
    third = run_check(source)

    # then
    assert (first.outcome, second.outcome, third.outcome) == ("changed", "not_modified", "unchanged")
    assert pages.request_headers["/same"][1]["if-none-match"] == '"v1"'
    assert source.snapshots.count() == 1
    assert first.snapshot_id is not None and second.snapshot_id is None
    claim, evidence, source = reloaded(claim, evidence, source)
    assert evidence.quote_state == Evidence.QuoteState.INTACT
    assert not claim.needs_review
    assert source.last_outcome == "unchanged" and source.consecutive_failures == 0
    assert source.next_check_at > third.finished_at
    assert (third.http_status, third.final_url) == (200, url)


def test_changed_figure_flags_the_claim_once_and_keeps_its_status(worker, pages: PageServer) -> None:
    # given a claim whose quoted passage says 20km, checked once
    url = pages.set("/figure", body=article())
    claim, evidence, source = cite(url)
    run_check(source)
    version_before = Claim.objects.get(pk=claim.pk).version

    # when the site changes the figure, and we check twice
    pages.set("/figure", body=article(QUOTE.replace("20km", "10km")))
    changed = run_check(source)
    claim.refresh_from_db()
    flagged_at, version_after_flag = claim.review_flagged_at, claim.version
    repeat = run_check(source)

    # then: a new snapshot, the evidence says what changed, the claim is flagged once, status untouched
    assert (changed.outcome, repeat.outcome) == ("changed", "unchanged")
    assert source.snapshots.count() == 2
    evidence.refresh_from_db()
    assert evidence.quote_state == Evidence.QuoteState.EDITED
    assert '"20km" became "10km"' in evidence.quote_change
    claim.refresh_from_db()
    assert claim.needs_review
    assert '"20km" became "10km"' in claim.review_reason
    assert claim.review_check_id == changed.pk
    assert claim.status == Claim.Status.UNVERIFIED
    assert claim.history.count() == 1
    assert version_after_flag == version_before + 1
    assert (claim.review_flagged_at, claim.version) == (flagged_at, version_after_flag)


def test_dropped_passage_is_missing(worker, pages: PageServer) -> None:
    url = pages.set("/drop", body=article())
    claim, evidence, source = cite(url)
    run_check(source)

    pages.set("/drop", body=article("Residents said the night was quiet and no troops moved."))
    check = run_check(source)

    claim, evidence = reloaded(claim, evidence)
    assert check.outcome == "changed"
    assert evidence.quote_state == Evidence.QuoteState.MISSING
    assert claim.needs_review and "no longer on the page" in claim.review_reason


def test_gone_is_flagged_after_consecutive_checks(worker, pages: PageServer) -> None:
    # given a page that disappears (RECHECK_GONE_AFTER=2 for these tests)
    status = 404
    url = pages.set("/gone", status=status, body=b"<p>Not found</p>")
    claim, evidence, source = cite(url)

    # when
    first = run_check(source)
    claim.refresh_from_db()
    flagged_after_first = claim.needs_review
    second = run_check(source)
    claim.refresh_from_db()
    version = claim.version
    run_check(source)

    # then
    assert (first.outcome, second.outcome) == ("gone", "gone")
    assert first.http_status == status
    assert not flagged_after_first
    assert "gone" in claim.review_reason and str(status) in claim.review_reason
    claim.refresh_from_db()
    assert claim.version == version  # the third gone check flags nothing again
    evidence.refresh_from_db()
    assert evidence.quote_state == Evidence.QuoteState.UNCHECKED


def test_410_is_gone_on_purpose_and_flagged_on_the_first_answer(worker, pages: PageServer) -> None:
    url = pages.set("/removed", status=410, body=b"<p>Removed</p>")
    claim, _evidence, source = cite(url)

    first = run_check(source)
    claim.refresh_from_db()
    version = claim.version
    run_check(source)

    claim.refresh_from_db()
    assert first.outcome == "gone" and first.http_status == 410
    assert first.reason == "The page is gone on purpose (HTTP 410)."
    assert claim.needs_review and "gone on purpose (HTTP 410 Gone)" in claim.review_reason
    assert claim.version == version  # the second 410 flags nothing again


def test_a_page_gone_on_purpose_then_restored_records_the_recovery(worker, pages: PageServer) -> None:
    # given a page flagged on its first 410
    url = pages.set("/back", status=410, body=b"<p>Removed</p>")
    claim, evidence, source = cite(url)
    run_check(source)

    # when the site restores it
    pages.set("/back", body=article())
    back = run_check(source)

    # then the worker's check records the recovery; the flag stays for a person, reading true now
    claim, evidence = reloaded(claim, evidence)
    assert (back.outcome, back.recovered_from, back.recovered_after) == ("changed", "gone", 1)
    assert claim.needs_review and "gone on purpose" in claim.review_reason
    assert evidence.quote_state == Evidence.QuoteState.INTACT
    note = claim_recovery_notes(claim_ids=[claim.pk])[claim.pk]
    assert note.startswith("was gone on 1 check; back since ") and note.endswith(" UTC, quote intact")


def test_redirect_within_the_site_is_followed(worker, pages: PageServer) -> None:
    pages.set("/new-home", body=article())
    url = pages.redirect("/old-home", "/new-home", status=301)
    _claim, evidence, source = cite(url)

    check = run_check(source)

    assert check.outcome == "changed"
    assert check.final_url == pages.url("/new-home")
    evidence.refresh_from_db()
    assert evidence.quote_state == Evidence.QuoteState.INTACT


def test_redirect_to_another_site_is_moved(worker, pages: PageServer) -> None:
    # given a page that now redirects to another host (allowed, but another registrable name)
    pages.set("/elsewhere", body=article())
    url = pages.redirect("/moving", pages.url("/elsewhere", host="localhost"))
    claim, _evidence, source = cite(url)

    check = run_check(source)
    run_check(source)

    claim.refresh_from_db()
    assert check.outcome == "moved"
    assert check.final_url == pages.url("/elsewhere", host="localhost")
    assert claim.needs_review and "moved" in claim.review_reason
    assert claim.version == 2  # flagged once, not again by the repeat


@pytest.mark.parametrize(
    "slow", [Page(body=article(), delay=30), Page(body=article(), trickle="body", trickle_every=0.2)]
)
def test_slow_site_times_out_backs_off_and_is_flagged_unreachable(worker, pages: PageServer, slow: Page) -> None:
    # given a site that answers late, or sends its body a byte at a time (TOTAL_TIMEOUT for the worker)
    url = pages.set("/slow", slow)
    claim, _evidence, source = cite(url)

    first = run_check(source)
    source.refresh_from_db()
    backoff_after_first = source.next_check_at
    second = run_check(source)

    claim, source = reloaded(claim, source)
    assert (first.outcome, second.outcome) == ("too_slow", "too_slow")
    assert first.reason == f"Too slow: nothing complete within {TOTAL_TIMEOUT:g} s."
    assert pages.trickled["/slow"] < len(article()) // 2
    assert backoff_after_first > first.finished_at
    assert source.consecutive_failures == 2
    assert claim.needs_review and "could not be read on 2 checks in a row" in claim.review_reason
    assert claim.status == Claim.Status.UNVERIFIED


@pytest.mark.parametrize("big", [Page(endless=True), Page(body=b"x" * (MAX_BYTES + 1))])
def test_a_page_over_the_size_cap_is_too_large_and_flagged_once(worker, pages: PageServer, big: Page) -> None:
    url = pages.set("/big", big)
    claim, _evidence, source = cite(url)

    check = run_check(source)
    claim.refresh_from_db()
    version = claim.version
    run_check(source)

    claim, source = reloaded(claim, source)
    assert check.outcome == "too_large"
    assert f"{MAX_BYTES:,}-byte limit" in check.reason and "FETCH_MAX_BYTES" in check.reason
    assert claim.needs_review and "too large to check automatically" in claim.review_reason
    assert "raise FETCH_MAX_BYTES" in claim.review_reason
    assert claim.version == version  # flagged once, not again
    assert source.consecutive_failures == 0  # no back-off: the page will not shrink by waiting
    assert source.snapshots.count() == 0


def test_bot_wall_is_unverifiable_not_gone(worker, pages: PageServer) -> None:
    wall = b"<html><title>Just a moment...</title><script src='/cdn-cgi/challenge-platform/h/b'></script></html>"
    url = pages.set(
        "/walled", status=403, body=wall, headers={"Content-Type": "text/html", "cf-mitigated": "challenge"}
    )
    claim, evidence, source = cite(url)

    first = run_check(source)
    second = run_check(source)

    claim, evidence, source = reloaded(claim, evidence, source)
    assert (first.outcome, second.outcome) == ("unverifiable", "unverifiable")
    assert "challenge" in first.reason
    assert source.consecutive_gone == 0 and source.consecutive_failures == 0
    assert not claim.needs_review
    assert evidence.quote_state == Evidence.QuoteState.UNCHECKED


def test_redirect_to_another_loopback_port_is_blocked(worker, pages: PageServer) -> None:
    # given an allowed page that redirects to a loopback port the allow list does not name
    with PageServer() as forbidden:
        forbidden.set("/admin", body=b"secret")
        url = pages.redirect("/hop", forbidden.url("/admin"))
        _claim, _evidence, source = cite(url)

        # when
        check = run_check(source)

        # then: the reason says where the redirect led and why that hop was refused
        assert check.outcome == Source.Outcome.BLOCKED, check.reason
        assert check.reason.startswith(
            f"The page redirected from {url} to {forbidden.url('/admin')}; the hop was refused because 127.0.0.1 "
            "is not a public address"
        )
        assert check.http_status == 302
        assert check.final_url == forbidden.url("/admin")
        assert forbidden.connections == 0
        assert pages.hits["/hop"] == 1


def test_sweep_task_dispatches_due_sources(worker, pages: PageServer) -> None:
    # given a monitored source that was never checked (due now)
    url = pages.set("/due", body=article())
    _claim, _evidence, source = cite(url)

    # when beat would fire the sweep
    recheck_sweep.delay()

    # then the worker's sweep dispatched it and another worker process checked it
    check = wait_for(
        lambda: SourceCheck.objects.filter(source=source, state="done").first(), what="the swept check to finish"
    )
    assert check.trigger == SourceCheck.Trigger.SCHEDULE
    assert check.outcome == "changed"
