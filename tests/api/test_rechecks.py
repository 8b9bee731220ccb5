"""Starting re-checks through the API: 202 with the checks, 503 when the queue is down."""

from __future__ import annotations

import socket

import pytest

from claims.models import SourceCheck
from tests.factories import SourceFactory
from tracker.celery import app

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    # A real connection attempt to a port nobody listens on: the broker as it looks when Redis is down.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    previous = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    yield
    app.conf.broker_url = previous


def test_rechecking_a_claim_queues_its_sources(checker_api, claim):
    response = checker_api.post(f"/api/claims/{claim.pk}/recheck/")
    assert response.status_code == 202, response.json()
    [check] = response.json()["checks"]
    stored = SourceCheck.objects.get(pk=check["id"])
    assert (stored.trigger, stored.requested_by.username, stored.source_id) == (
        "api",
        "checker",
        claim.evidence.get().source_id,
    )
    assert check["state"] in {"queued", "running"}
    assert response["Location"].endswith(f"/api/checks/{stored.pk}/")
    assert checker_api.get(response["Location"]).json()["id"] == stored.pk


def test_rechecking_a_source(checker_api, claim):
    source = claim.evidence.get().source
    response = checker_api.post(f"/api/sources/{source.pk}/recheck/")
    assert response.status_code == 202
    assert response.json()["checks"][0]["id"] == SourceCheck.objects.get(source=source).pk


def test_a_source_without_a_url_is_400(checker_api):
    source = SourceFactory(kind="statement", url="")
    response = checker_api.post(f"/api/sources/{source.pk}/recheck/")
    assert response.status_code == 400
    assert "no URL" in response.json()["errors"][0]["message"]


def test_a_viewer_cannot_start_a_recheck(viewer_api, claim):
    assert viewer_api.post(f"/api/claims/{claim.pk}/recheck/").status_code == 403
    assert not SourceCheck.objects.exists()


def test_an_unreachable_queue_is_503_with_a_clear_message(checker_api, claim, broker_down):
    response = checker_api.post(f"/api/claims/{claim.pk}/recheck/")
    assert response.status_code == 503
    body = response.json()
    assert body["status_code"] == 503
    assert "cannot be reached" in body["errors"][0]["message"]
