"""A long article taken in by URL is read by the real Celery worker, not in the request (reuses this stack)."""

from __future__ import annotations

import pytest

from claims.models import ArticleIntake
from claims.services.intake import intake_submit
from tests.fetching.servers import PageServer, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PARAGRAPH = (
    "<p>Syrian state media SANA said opposition fighters retreated some {n} km from government-held Hama.</p>"
    "<p>Residents described another long night in the old city, with shops shut and streets empty.</p>"
)


def test_a_url_intake_is_read_by_the_worker_with_its_progress_recorded(worker, pages: PageServer) -> None:
    body = "".join(PARAGRAPH.format(n=n) for n in range(1, 121))
    url = pages.set(
        "/long-report",
        body=f"<html><head><title>Long report</title></head><body><article>{body}</article></body></html>".encode(),
    )
    intake = intake_submit(url=url, user=None)
    assert intake.state == ArticleIntake.State.QUEUED  # the request did not wait for the reading

    done = wait_for(
        lambda: ArticleIntake.objects.filter(pk=intake.pk, state__in=["done", "failed"]).first(),
        timeout=90,
        what="the worker to read the intake",
    )
    assert done.state == ArticleIntake.State.DONE, done.error
    assert done.progress == 100 and done.title == "Long report"
    assert done.proposals.count() == 120
