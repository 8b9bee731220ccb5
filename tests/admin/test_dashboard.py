"""The admin front page's dashboard: server-made SVG charts from the real data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from claims.dashboard import check_outcomes, claims_by_status, failing_sites, review_queue
from claims.models import Claim
from claims.services.status import claim_change_status
from tests.factories import ClaimFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_status_over_time_is_replayed_from_the_history():
    claim = ClaimFactory()
    claim_change_status(claim_id=claim.pk, to_status="unconfirmed", rationale="x", user=None, expected_version=None)
    days, series = claims_by_status()
    assert len(days) == 30 and days[-1] == timezone.now().date()
    assert series["unconfirmed"][-1] == 1 and series["unverified"][-1] == 0


def test_queue_sites_and_outcomes():
    now = timezone.now()
    ClaimFactory(needs_review=True, review_flagged_at=now - timedelta(days=3))
    ClaimFactory(needs_review=True, review_flagged_at=now - timedelta(minutes=5))
    queue = review_queue(now=now)
    assert (queue.size, queue.ages["1 to 7 days"], queue.ages["under 1 h"]) == (2, 1, 1)
    flaky = SourceFactory(url="https://www.flaky.co.uk/a")
    for outcome in ("error", "error", "unchanged"):
        flaky.checks.create(state="done", outcome=outcome, finished_at=now, duration_ms=900)
    [site] = failing_sites(now=now)
    assert (site.host, site.failures, site.checks, site.average_ms) == ("flaky.co.uk", 2, 3, 900)
    _, outcomes = check_outcomes()
    assert outcomes["error"][-1] == 2 and outcomes["unchanged"][-1] == 1


def test_the_front_page_shows_the_charts(editor_client):
    ClaimFactory(needs_review=True, review_flagged_at=timezone.now())
    page = editor_client.get("/admin/").content.decode()
    assert page.count('<svg class="dash-chart"') == 3  # no failing site yet: that panel says so in words
    assert "Claims by status, last 30 days" in page
    assert '<span class="figure">1</span> claim waiting' in page
    assert "No failed checks in the last 7 days." in page


def test_people_who_cannot_see_claims_get_no_dashboard():
    client = Client()
    client.force_login(UserFactory(username="staff-only", is_staff=True))
    assert "dash-chart" not in client.get("/admin/").content.decode()
    assert Claim.objects.count() == 0
