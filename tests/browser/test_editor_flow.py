"""An editor confirms a claim in a real headless Chromium against a live server.

Needs Chromium at /usr/bin/chromium (``apt-get install -y chromium``); the test
fails, not skips, when it is missing. Screenshots of each step land in
``test-artifacts/browser/``.
"""

from __future__ import annotations

import importlib
import re

import pytest
from django.contrib.auth.models import Group, Permission, User

from claims.models import Claim, Claimant, Source, StatusChange
from claims.services.seed import seed_load
from tests.browser.conftest import shot
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery-staple"
CLAIM_TEXT = "Opposition fighters retreated some 20 km (12 miles) from government-held Hama."

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _editor() -> User:
    # A transactional test may run after another one flushed the groups that
    # migration 0003 creates; rebuild the editors' group from its definition.
    groups = importlib.import_module("claims.migrations.0003_groups").GROUPS
    group, _ = Group.objects.get_or_create(name="editors")
    group.permissions.set(Permission.objects.filter(codename__in=groups["editors"]))
    user = UserFactory(username="eda", first_name="Eda", last_name="Editor", is_staff=True)
    user.groups.add(group)
    return user


def test_editor_confirms_a_claim_with_an_independent_source(live_server, page):
    # given: the seed article's claims, an editor, and an independent source
    seed_load()
    editor = _editor()
    reuters = Claimant.objects.create(name="Reuters", kind=Claimant.Kind.ORGANISATION)
    Source.objects.create(
        name="Reuters field report near Hama",
        kind=Source.Kind.WEB,
        url="https://reuters.example/hama",
        publisher=reuters,
    )
    claim = Claim.objects.get(text=CLAIM_TEXT)
    assert claim.status == Claim.Status.UNCONFIRMED

    # when: the editor logs in through the login form
    page.goto(f"{live_server.url}/admin/login/?next=/admin/claims/claim/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    shot(page, "01-login")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/claims/claim/$"))
    shot(page, "02-claim-list")

    # ... filters the list to unconfirmed claims
    page.locator("#changelist-filter a", has_text="Unconfirmed").first.click()
    page.wait_for_url(re.compile(r"status__exact=unconfirmed"))
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == Claim.objects.filter(status="unconfirmed").count()
    shot(page, "03-unconfirmed")

    # ... opens the "retreated some 20 km" claim
    page.get_by_role("link", name=re.compile("retreated some 20 km")).click()
    page.wait_for_url(re.compile(rf"/admin/claims/claim/{claim.pk}/change/"))
    shot(page, "04-claim")

    # ... adds the independent supporting source and saves
    page.locator("#evidence-group .add-row a").click()
    row = page.locator("#evidence-group tr.dynamic-evidence").last
    row.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("Reuters")
    page.locator(".select2-results__option", has_text="Reuters field report near Hama").click()
    row.locator("select[name$='-role']").select_option("supports")
    row.locator("textarea[name$='-quote']").fill("opposition fighters pulled back about 20km from Hama")
    shot(page, "05-source-added")
    page.click("input[name=_continue]")
    page.wait_for_selector("ul.messagelist li.success")
    shot(page, "06-source-saved")
    assert claim.evidence.filter(source__publisher=reuters, role="supports").exists()

    # ... sets the status to confirmed with a rationale and saves
    page.select_option("select[name=new_status]", "confirmed")
    page.fill("textarea[name=rationale]", "Reuters' own reporter confirms the pull-back.")
    page.click("input[name=_continue]")
    page.wait_for_selector("ul.messagelist li.info")
    shot(page, "07-confirmed")

    # then: the page shows the change in the history, and the database agrees
    latest = page.locator("#history-group tbody tr.has_original").first
    assert latest.locator("td.field-to_status").inner_text().strip() == "Confirmed"
    assert latest.locator("td.field-from_status").inner_text().strip() == "Unconfirmed"
    assert latest.locator("td.field-who").inner_text().strip() == "Eda Editor"
    assert "confirms the pull-back" in latest.locator("td.field-rationale").inner_text()
    assert "Confirmed" in page.locator(".field-status_display").inner_text()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CONFIRMED
    change = claim.history.first()
    assert (change.changed_by, change.via) == (editor, StatusChange.Via.ADMIN)
    assert page.csp_violations == []


def test_admin_pages_and_api_docs_break_no_content_security_policy(live_server, page):
    # given: the seed claims and a superuser (every admin page, the API docs)
    seed_load()
    UserFactory(username="root", is_staff=True, is_superuser=True)
    claim = Claim.objects.first()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    # when: pages with the admin's scripts (autocomplete, inlines, calendars, the beat schedule form) load
    for path in (
        f"/admin/claims/claim/{claim.pk}/change/",
        "/admin/claims/claim/?status__exact=unconfirmed",
        f"/admin/claims/source/{claim.sources.first().pk}/change/",
        "/admin/django_celery_beat/periodictask/add/",
        "/admin/auth/user/add/",
        "/api/docs/",
    ):
        page.goto(f"{live_server.url}{path}", wait_until="load")
    page.wait_for_selector("#swagger-ui .info")
    # then: the browser refused nothing
    assert page.csp_violations == []
