"""An editor works through the review queue in a real headless Chromium: a source that came back, an Arabic claim.

Needs Chromium at /usr/bin/chromium; screenshots land in ``test-artifacts/browser/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from claims.models import Claim
from claims.services.review import claim_flag_for_review
from tests.browser.conftest import shot
from tests.browser.test_editor_flow import PASSWORD, _editor
from tests.factories import ClaimFactory
from tests.fetching.servers import PageServer, forget_politeness
from tests.rechecks.stack import gone_then_back

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARABIC_CLAIM = "انسحبت قوات المعارضة عشرين كيلومترا من حماة"


@pytest.fixture
def site(settings) -> Iterator[PageServer]:
    with PageServer() as server:
        settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{server.port}"]
        settings.FETCH_MIN_SPACING = 0
        settings.RECHECK_GONE_AFTER = 2
        forget_politeness()
        yield server
        forget_politeness()


def test_editor_sees_a_recovered_source_apart_and_clears_its_flag(live_server, page, site: PageServer) -> None:
    # given: a claim whose source was gone on two checks and is back, and an Arabic claim still flagged
    recovered, _back = gone_then_back(site)
    arabic = ClaimFactory(text=ARABIC_CLAIM)
    claim_flag_for_review(claim_id=arabic.pk, reason="Re-check of «سانا»: the source is gone (HTTP 404 on 2 checks).")
    editor = _editor()

    # when: the editor logs in and opens the review queue
    page.goto(f"{live_server.url}/admin/login/?next=/admin/claims/claim/review-queue/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/review-queue/"))
    shot(page, "review-01-queue")

    # then: both are listed, the recovered one after the other, with what is true now
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2
    assert ARABIC_CLAIM in rows.nth(0).inner_text()
    note = rows.nth(1).locator(".review-recovery").inner_text()
    assert re.fullmatch(r"Source back: was gone on 2 checks; back since .+ UTC, quote intact", note.strip())
    # ... and the Arabic text runs right to left
    direction = rows.nth(0).locator("th a").evaluate("e => getComputedStyle(e).direction")
    assert direction == "rtl"

    # when: the editor shows only the claims whose source is back, and marks that one reviewed
    page.get_by_role("link", name="source back").click()
    page.wait_for_url(re.compile(r"recovered=1"))
    assert page.locator("#result_list tbody tr").count() == 1
    shot(page, "review-02-source-back")
    page.locator("#result_list tbody tr input[name=claim]").check()
    page.click("input[name=mark_reviewed]")
    page.wait_for_selector("ul.messagelist li.success")
    shot(page, "review-03-cleared")

    # then: its flag is cleared by the person, the Arabic claim still waits
    recovered.refresh_from_db()
    arabic.refresh_from_db()
    assert not recovered.needs_review
    assert arabic.needs_review
    assert page.locator(".empty-queue").is_visible()
    assert Claim.objects.flagged().count() == 1
