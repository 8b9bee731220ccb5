"""A logged-out reader in a real Chromium: published fields only, no serious axe-core findings, the embed renders.

axe-core is vendored from the npm registry's ``axe-core`` package (4.14.1,
MPL-2.0) in tests/browser/vendor/, so the check runs without a network.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import shot
from tests.public.desk import INTERNAL_NOTES, PUBLIC_RATIONALE, RTL_TEXT, build_desk

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious_violations(page) -> list[str]:
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does
    # not govern (a <script> tag would be refused: the pages allow no inline script).
    page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_reader_sees_published_fields_only_on_accessible_pages(live_server, page, browser, settings):
    # given: a published claim with internal notes, an unpublished one and an RTL one
    desk = build_desk(settings, base_url=live_server.url)

    # when: a logged-out reader opens the article page
    page.goto(f"{live_server.url}/facts/articles/{desk.published.article_id}/")
    shot(page, "public-01-article")
    text = page.locator("main").inner_text()

    # then: the published claims with their public fields, nothing else
    assert "We captured five fighters near the bridge." in text
    assert PUBLIC_RATIONALE in text
    assert desk.unpublished.text not in page.content()
    assert INTERNAL_NOTES not in page.content()
    assert page.get_by_role("link", name="Wire agency report").get_attribute("href") == "https://wire.example/report"
    rtl = page.locator("p.claim-text", has_text=RTL_TEXT[:10])
    assert rtl.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert serious_violations(page) == []

    # ... and the claim page, with its history
    page.goto(f"{live_server.url}/facts/claims/{desk.published.pk}/")
    shot(page, "public-02-claim")
    assert page.get_by_role("heading", level=1).inner_text() == "Fact check: confirmed"
    assert INTERNAL_NOTES not in page.content()
    assert serious_violations(page) == []


def test_the_pages_fit_a_phone_screen(live_server, browser, settings):
    desk = build_desk(settings, base_url=live_server.url)
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, device_scale_factor=2)
    try:
        phone = context.new_page()
        for path in (f"/facts/articles/{desk.published.article_id}/", f"/facts/claims/{desk.published.pk}/"):
            phone.goto(live_server.url + path)
            assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        shot(phone, "public-03-phone")
    finally:
        context.close()


def test_the_embed_renders_inside_another_page(live_server, page, settings):
    desk = build_desk(settings, base_url=live_server.url)
    embed = f"{live_server.url}/facts/claims/{desk.published.pk}/embed/"
    page.set_content(f'<main><iframe src="{embed}" title="Fact check" width="360" height="140"></iframe></main>')
    badge = page.frame_locator("iframe").locator(".badge")
    assert badge.inner_text() == "Confirmed"
    link = page.frame_locator("iframe").locator("a.card")
    assert link.get_attribute("href") == f"{live_server.url}/facts/claims/{desk.published.pk}/"
    shot(page, "public-04-embed")
