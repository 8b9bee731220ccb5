"""Check outcomes that need no worker to show: run in-process (``recheck --sync`` path) against local sites."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.fetching import politeness
from claims.models import Source, SourceCheck
from claims.services.checking import source_check_now
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory
from tests.fetching.servers import QUOTE, PageServer, article
from tests.rechecks.stack import cite

pytestmark = pytest.mark.django_db


def test_rate_limited_site_backs_off_without_counting_as_unreachable(pages: PageServer) -> None:
    # given a site that answers 429 with Retry-After: 600
    url = pages.set("/limited", status=429, body=b"slow down", headers={"Retry-After": "600"})
    _claim, _evidence, source = cite(url)

    # when it is checked, and checked again at once
    first = source_check_now(source_id=source.pk)
    second = source_check_now(source_id=source.pk)

    # then the first records the 429, the second is deferred without contacting the site
    source.refresh_from_db()
    assert first.outcome == Source.Outcome.ERROR and "429" in first.reason
    assert source.consecutive_failures == 0
    assert second.state == SourceCheck.State.QUEUED and second.outcome == ""
    assert pages.hits["/limited"] == 1
    assert source.next_check_at >= timezone.now() + timedelta(seconds=500)
    assert source.lease_expires_at is None


def test_paused_site_defers_the_check_for_the_sweep(pages: PageServer) -> None:
    url = pages.set("/story", body=article())
    _claim, _evidence, source = cite(url)
    politeness.note_rate_limited("127.0.0.1", 300)

    check = source_check_now(source_id=source.pk)

    source.refresh_from_db()
    assert check.state == SourceCheck.State.QUEUED
    assert pages.hits["/story"] == 0
    assert source.next_check_at > timezone.now() + timedelta(seconds=200)


def test_unreadable_content_is_unverifiable(pages: PageServer) -> None:
    url = pages.set("/photo", body=b"\x89PNG\r\n\x1a\n....", headers={"Content-Type": "image/png"})
    _claim, _evidence, source = cite(url)

    check = source_check_now(source_id=source.pk)

    assert check.outcome == Source.Outcome.UNVERIFIABLE
    assert "image/png" in check.reason


def test_large_text_is_stored_compressed_and_reads_back(pages: PageServer) -> None:
    long_lead = "The opposition retreated 20km from the town overnight. " + "Shelling went on for hours. " * 1200
    url = pages.set("/long", body=article(long_lead))
    _claim, _evidence, source = cite(url)

    check = source_check_now(source_id=source.pk)

    snapshot = check.snapshot
    assert snapshot.text == "" and snapshot.compressed_text
    assert snapshot.size > 16 * 1024
    assert "Shelling went on for hours." in snapshot.content


def test_changed_text_flags_claims_cited_without_a_quote(pages: PageServer) -> None:
    # given a claim that cites the page without quoting it, after a first check
    url = pages.set("/noquote", body=article())
    source = SourceFactory(url=url)
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, source=source, quote="")
    source_check_now(source_id=source.pk)
    claim.refresh_from_db()
    flagged_by_first = claim.needs_review

    # when the page's text changes
    pages.set("/noquote", body=article("A different account of the night."))
    source_check_now(source_id=source.pk)

    # then
    claim.refresh_from_db()
    assert not flagged_by_first
    assert claim.needs_review and "text changed" in claim.review_reason


def test_redirect_to_another_site_that_cannot_be_reached_is_moved_not_unreachable(pages: PageServer) -> None:
    # given an article that now redirects to a site whose name does not resolve (.invalid never does)
    url = pages.redirect("/old-story", "http://news.invalid/2024/12/hama", status=301)
    claim, _evidence, source = cite(url)

    # when
    check = source_check_now(source_id=source.pk)

    # then the desk hears that it moved, and where to; not that the site is down
    claim.refresh_from_db()
    source.refresh_from_db()
    assert check.outcome == Source.Outcome.MOVED, check.reason
    assert check.final_url == "http://news.invalid/2024/12/hama"
    assert claim.needs_review and "moved" in claim.review_reason and "news.invalid" in claim.review_reason
    assert source.consecutive_failures == 0


def test_gone_reason_reads_as_one_plain_sentence(pages: PageServer) -> None:
    url = pages.set("/deleted", status=404, body=b"<p>Gone</p>")
    claim, _evidence, source = cite(url)

    source_check_now(source_id=source.pk)
    source_check_now(source_id=source.pk)

    claim.refresh_from_db()
    assert claim.review_reason == f'Re-check of "{source.name}": the source is gone (HTTP 404 on 2 checks in a row).'


def test_a_quote_that_never_matched_is_not_reported_as_the_source_changing_its_story(pages: PageServer) -> None:
    # given quotes mistyped by the desk, on a page checked for the first time
    url = pages.set("/story", body=article())
    claim, _evidence, source = cite(url, quote_text=QUOTE.replace("20km", "25km"))
    other = EvidenceFactory(source=source, quote="A sentence this page never had in any form at all.")

    # when
    source_check_now(source_id=source.pk)

    # then the flags say the quote does not match, not that the page was edited or dropped it
    claim.refresh_from_db()
    other.claim.refresh_from_db()
    assert "the quoted passage does not match the page" in claim.review_reason
    assert '"25km" became "20km"' in claim.review_reason
    assert "was edited" not in claim.review_reason
    assert "the quoted passage was not found on the page" in other.claim.review_reason
    assert "no longer" not in other.claim.review_reason


def test_a_quote_that_matched_before_and_changed_is_reported_as_edited(pages: PageServer) -> None:
    url = pages.set("/story", body=article())
    claim, _evidence, source = cite(url)
    source_check_now(source_id=source.pk)
    pages.set("/story", body=article(QUOTE.replace("20km", "10km")))

    source_check_now(source_id=source.pk)

    claim.refresh_from_db()
    assert "the quoted passage was edited" in claim.review_reason


def test_a_site_crowded_by_our_own_fetches_is_due_a_sweep_before_its_turn(pages: PageServer, settings) -> None:
    # given a spacing of an hour and a check that took the site's turn
    settings.FETCH_MIN_SPACING = 3600.0
    settings.RECHECK_SWEEP_SECONDS = 60
    first = cite(pages.set("/one", body=article()))[2]
    second = cite(pages.set("/two", body=article()))[2]
    assert source_check_now(source_id=first.pk).outcome == Source.Outcome.CHANGED

    # when another source of the same site is checked
    deferred = source_check_now(source_id=second.pk)

    # then it is put back, due one sweep before the site's next turn (so a sweep hands it back in time)
    second.refresh_from_db()
    assert deferred.state == SourceCheck.State.QUEUED and pages.hits["/two"] == 0
    now = timezone.now()
    assert now + timedelta(seconds=3400) < second.next_check_at <= now + timedelta(seconds=3541)
