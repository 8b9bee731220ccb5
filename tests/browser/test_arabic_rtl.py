"""An Arabic source in a real headless Chromium: its diff, the claim list and the quote run right to left.

Needs Chromium at /usr/bin/chromium; screenshots land in ``test-artifacts/browser/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from claims.models import Claim, Evidence
from claims.services.checking import source_check_now
from tests.browser.conftest import shot
from tests.browser.test_editor_flow import PASSWORD, _editor
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory
from tests.fetching.servers import ARABIC_LEAD, ARABIC_QUOTE, PageServer, arabic_article, forget_politeness

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(settings) -> Iterator[PageServer]:
    with PageServer() as server:
        settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{server.port}"]
        settings.FETCH_MIN_SPACING = 0
        forget_politeness()
        yield server
        forget_politeness()


def direction(locator) -> str:  # type: ignore[no-untyped-def]
    return locator.evaluate("e => getComputedStyle(e).direction")


def test_an_arabic_source_reads_right_to_left_in_the_diff_list_and_form(live_server, page, site: PageServer) -> None:
    # given: an Arabic page cited verbatim, checked, then its figure changed and checked again
    source = SourceFactory(name="سانا", url=site.set("/sana", body=arabic_article()))
    claim = ClaimFactory(text="انسحبت قوات المعارضة ٢٠ كم")
    EvidenceFactory(claim=claim, source=source, quote=ARABIC_QUOTE)
    source_check_now(source_id=source.pk)
    site.set("/sana", body=arabic_article(ARABIC_LEAD.replace("٢٠", "٣٠")))
    source_check_now(source_id=source.pk)
    evidence = Evidence.objects.get(claim=claim)
    assert 'figure changed: "٢٠" became "٣٠"' in evidence.quote_change
    editor = _editor()

    # when: the editor logs in and opens the source's diff
    page.goto(f"{live_server.url}/admin/login/?next=/admin/claims/source/{source.pk}/diff/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/diff/"))
    shot(page, "arabic-01-diff")

    # then: the changed line is shown on both sides, each side right to left, the quote marked
    old = page.locator("table.snapshot-diff td.old", has_text="٢٠").first
    new = page.locator("table.snapshot-diff td.new", has_text="٣٠").first
    assert direction(old) == "rtl" and direction(new) == "rtl"
    assert direction(page.locator("#quote-summary td[dir=auto]").first) == "rtl"

    # when: the editor opens the claim list and the claim
    page.goto(f"{live_server.url}/admin/claims/claim/")
    shot(page, "arabic-02-claim-list")
    assert direction(page.locator("#result_list span[dir=auto]", has_text="انسحبت")) == "rtl"
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    shot(page, "arabic-03-claim")

    # then: the claim's text and its quote are typed and shown right to left, English labels stay left to right
    assert direction(page.locator("textarea#id_text")) == "rtl"
    assert direction(page.locator("textarea[name$='-quote']").first) == "rtl"
    assert direction(page.locator("label[for=id_text]")) == "ltr"
    assert Claim.objects.get(pk=claim.pk).needs_review
    assert page.csp_violations == []
