"""Source pages: re-check now, checks and snapshots, the snapshot diff; read-only check and snapshot admin."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from claims import fetching
from claims.models import Source, SourceCheck, SourceSnapshot
from tests.admin.conftest import form_data, messages_of
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory

pytestmark = pytest.mark.django_db


def change_url(source: Source) -> str:
    return reverse("admin:claims_source_change", args=[source.pk])


def snap(source: Source, text: str, minutes_ago: int) -> SourceSnapshot:
    return SourceSnapshot.objects.create(
        source=source,
        text=text,
        text_hash=str(minutes_ago).rjust(64, "0"),
        taken_at=timezone.now() - timedelta(minutes=minutes_ago),
        size=len(text),
    )


def test_recheck_now_button_creates_a_check(editor_client, editor):
    # given
    source = SourceFactory(url="https://news.example/hama")
    page = editor_client.get(change_url(source))
    assert "Re-check now" in page.content.decode()
    # when
    response = editor_client.post(reverse("admin:claims_source_recheck", args=[source.pk]), follow=True)
    # then
    assert response.status_code == 200
    check = SourceCheck.objects.get(source=source)
    assert (check.trigger, check.requested_by, check.state) == ("admin", editor, "queued")
    assert any("Re-check of" in m for m in messages_of(response))


def test_recheck_of_a_source_without_url_is_an_error_message_not_a_500(editor_client):
    source = SourceFactory(kind=Source.Kind.STATEMENT, url="")
    response = editor_client.post(reverse("admin:claims_source_recheck", args=[source.pk]), follow=True)
    assert response.status_code == 200
    assert any("has no URL" in m for m in messages_of(response))
    assert not SourceCheck.objects.exists()


def test_recheck_source_action_and_claim_action(editor_client):
    with_url, without_url = SourceFactory(), SourceFactory(kind=Source.Kind.REPORT, url="")
    response = editor_client.post(
        reverse("admin:claims_source_changelist"),
        {"action": "recheck_sources", "_selected_action": [with_url.pk, without_url.pk], "index": "0"},
        follow=True,
    )
    assert response.status_code == 200
    assert SourceCheck.objects.filter(source=with_url).count() == 1
    assert any("has no URL" in m for m in messages_of(response))
    # The claim list action queues its sources (joining the check already open).
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, source=with_url)
    EvidenceFactory(claim=claim, source=SourceFactory())
    response = editor_client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "recheck_claim_sources", "_selected_action": [claim.pk], "index": "0"},
        follow=True,
    )
    assert "2 source re-checks queued." in messages_of(response)
    assert SourceCheck.objects.count() == 2


def test_viewer_cannot_recheck(viewer_client):
    source = SourceFactory()
    assert "Re-check now" not in viewer_client.get(change_url(source)).content.decode()
    response = viewer_client.post(reverse("admin:claims_source_recheck", args=[source.pk]))
    assert response.status_code == 403
    assert not SourceCheck.objects.exists()


def test_source_page_lists_claims_checks_newest_first_and_snapshots(editor_client):
    source = SourceFactory()
    evidence = EvidenceFactory(source=source, role="supports", quote="pulled back")
    SourceCheck.objects.create(
        source=source,
        state="done",
        outcome="unchanged",
        reason="Old check.",
        requested_at=timezone.now() - timedelta(hours=2),
    )
    SourceCheck.objects.create(source=source, state="done", outcome="changed", reason="New check.")
    snap(source, "Text one.", 60)
    response = editor_client.get(change_url(source))
    html = response.content.decode()
    assert evidence.claim.text in html
    assert [c.reason for c in response.context["recent_checks"]] == ["New check.", "Old check."]
    assert response.context["snapshot_count"] == 1


def test_diff_highlights_quotes_and_escapes_snapshot_html(editor_client):
    # given: two snapshots; the newer one injects markup and edits a sentence
    source = SourceFactory()
    EvidenceFactory(source=source, role="made", quote="retreated some 20km (12 miles)")
    old = snap(source, "SANA said opposition fighters retreated some 20km (12 miles) from Hama.\nWeather: sunny.", 30)
    new = snap(
        source,
        "SANA said opposition fighters retreated some 20km (12 miles) from Hama.\n"
        "Weather: <script>alert('x')</script> rainy.",
        5,
    )
    # when
    response = editor_client.get(reverse("admin:claims_source_diff", args=[source.pk]))
    # then
    assert response.status_code == 200
    assert (response.context["older"], response.context["newer"]) == (old, new)
    html = response.content.decode()
    assert '<mark class="quote">retreated some 20km (12 miles)</mark>' in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert '<span class="del">sunny</span>' in html
    quotes = response.context["quotes"]
    assert [(q["in_older"], q["in_newer"]) for q in quotes] == [(True, True)]


def test_diff_of_chosen_snapshots_and_of_another_sources_snapshot(editor_client):
    source, other = SourceFactory(), SourceFactory()
    first, _second, third = snap(source, "a", 30), snap(source, "b", 20), snap(source, "c", 10)
    foreign = snap(other, "z", 5)
    url = reverse("admin:claims_source_diff", args=[source.pk])
    response = editor_client.get(url, {"a": third.pk, "b": first.pk})
    assert (response.context["older"], response.context["newer"]) == (first, third)
    assert editor_client.get(url, {"a": foreign.pk}).status_code == 404
    assert editor_client.get(url, {"b": "nope"}).status_code == 404
    # The picker on the page is a plain GET form.
    assert form_data(response, "snapshot-pick")["b"] == str(third.pk)


def test_diff_page_without_snapshots(editor_client):
    source = SourceFactory()
    response = editor_client.get(reverse("admin:claims_source_diff", args=[source.pk]))
    assert response.status_code == 200
    assert "nothing to compare" in response.content.decode()


@pytest.mark.parametrize("model", ["sourcecheck", "sourcesnapshot", "statuschange"])
def test_checks_snapshots_and_history_are_read_only_in_the_admin(editor_client, model):
    source = SourceFactory()
    obj = {
        "sourcecheck": lambda: SourceCheck.objects.create(source=source, state="done", outcome="gone"),
        "sourcesnapshot": lambda: snap(source, "text", 1),
        "statuschange": lambda: ClaimFactory().history.get(),
    }[model]()
    assert editor_client.get(reverse(f"admin:claims_{model}_changelist")).status_code == 200
    assert editor_client.get(reverse(f"admin:claims_{model}_change", args=[obj.pk])).status_code == 200
    assert editor_client.get(reverse(f"admin:claims_{model}_add")).status_code == 403
    assert (
        editor_client.post(reverse(f"admin:claims_{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
    )
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_claimant_and_article_pages_list_their_claims(editor_client):
    claim = ClaimFactory(text="A claim to find on its claimant's page.")
    for url in (
        reverse("admin:claims_claimant_change", args=[claim.claimant_id]),
        reverse("admin:claims_article_change", args=[claim.article_id]),
    ):
        response = editor_client.get(url)
        assert response.status_code == 200
        assert "A claim to find on its claimant&#x27;s page." in response.content.decode()
    for name in ("claimant", "article"):
        assert editor_client.get(reverse(f"admin:claims_{name}_changelist")).status_code == 200


def test_diff_finds_a_quote_typed_with_dashes_and_an_ellipsis_like_the_checker_does(editor_client):
    # given: snapshots hold normalised text ("-", "..."), the editor pasted the quote as printed (en dashes, an ellipsis)
    source = SourceFactory()
    quote = "his allies \u2013 including Russia and Iran \u2013 and \u201cfrom Aleppo \u2026 they say\u201d"
    EvidenceFactory(source=source, role="made", quote=quote)
    text = fetching.normalise_text(f"The war between Assad and {quote}, he said.")
    snap(source, text, 5)
    assert fetching.check_quote(quote, text).state == "intact"
    # when
    response = editor_client.get(reverse("admin:claims_source_diff", args=[source.pk]))
    # then: the page agrees with the checker
    assert [q["in_newer"] for q in response.context["quotes"]] == [True]
    assert '<mark class="quote">his allies - including Russia and Iran - and' in response.content.decode()


def test_diff_table_gives_the_text_columns_the_width_not_the_line_numbers(editor_client):
    source = SourceFactory()
    snap(source, "Old text.", 10)
    snap(source, "New text.", 5)
    response = editor_client.get(reverse("admin:claims_source_diff", args=[source.pk]))
    document = lxml.html.fromstring(response.content.decode())
    # With table-layout: fixed the first row (headers spanning two columns) would split the width in four.
    cols = document.xpath('//table[@class="snapshot-diff"]/colgroup/col/@class')
    assert cols == ["no", "text", "no", "text"]


def test_snapshot_picker_tells_snapshots_of_the_same_minute_apart(editor_client):
    source = SourceFactory()
    now = timezone.now().replace(second=10)
    for seconds in (0, 20, 40):
        SourceSnapshot.objects.create(
            source=source, text=f"text {seconds}", text_hash=str(seconds), taken_at=now + timedelta(seconds=seconds)
        )
    response = editor_client.get(reverse("admin:claims_source_diff", args=[source.pk]))
    document = lxml.html.fromstring(response.content.decode())
    labels = [" ".join(o.text_content().split()) for o in document.xpath('//select[@name="b"]/option')]
    assert len(labels) == 3 and len(set(labels)) == 3, labels


def test_source_without_url_page_says_it_cannot_be_rechecked(editor_client):
    source = SourceFactory(kind=Source.Kind.STATEMENT, url="")
    html = editor_client.get(change_url(source)).content.decode()
    assert "Re-check now" not in html
    assert "no URL, so it cannot be re-checked" in html


def test_changing_a_sources_url_makes_it_due_and_forgets_what_the_old_url_said(editor_client):
    # given: a source checked at a mistyped URL: failures counted, backed off, validators kept
    source = SourceFactory(url="https://news.example/hamma")
    later = timezone.now() + timedelta(hours=20)
    Source.objects.filter(pk=source.pk).update(
        etag='"old"',
        last_modified="Wed, 04 Dec 2024 10:00:00 GMT",
        content_hash="a" * 64,
        consecutive_failures=3,
        consecutive_gone=2,
        next_check_at=later,
    )
    data = form_data(editor_client.get(change_url(source)), "source_form")
    # when the editor corrects the URL
    data.update(url="https://news.example/hama", _save="Save")
    response = editor_client.post(change_url(source), data)
    # then it is checked at the next sweep, from scratch (no conditional request with the old URL's ETag)
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.url == "https://news.example/hama"
    assert source.next_check_at is not None and source.next_check_at <= timezone.now()
    assert (source.etag, source.last_modified, source.content_hash) == ("", "", "")
    assert (source.consecutive_failures, source.consecutive_gone) == (0, 0)


def test_saving_a_source_without_changing_its_url_keeps_its_schedule(editor_client):
    source = SourceFactory(url="https://news.example/hama")
    later = timezone.now() + timedelta(hours=20)
    Source.objects.filter(pk=source.pk).update(etag='"v1"', next_check_at=later, consecutive_failures=1)
    data = form_data(editor_client.get(change_url(source)), "source_form")
    data.update(notes="Checked by phone too.", _save="Save")
    assert editor_client.post(change_url(source), data).status_code == 302
    source.refresh_from_db()
    assert (source.etag, source.next_check_at, source.consecutive_failures) == ('"v1"', later, 1)


def _add_source(client, **fields):
    data = {"name": "New source", "kind": "web", "url": "", "notes": "", "is_monitored": "on", **fields}
    return client.post(reverse("admin:claims_source_add"), data)


def _url_errors(response) -> str:
    assert response.status_code == 200, "the form was accepted"
    return " ".join(response.context["adminform"].form.errors.get("url", []))


def test_adding_a_url_already_recorded_names_the_source_to_use_instead(editor_client):
    existing = SourceFactory(name="SANA report, 4 Dec 2024", url="https://sana.example/hama")
    response = _add_source(editor_client, url="https://sana.example/hama")
    errors = _url_errors(response)
    assert "already recorded" in errors and "SANA report, 4 Dec 2024" in errors
    assert "Constraint" not in response.content.decode()
    assert Source.objects.filter(url=existing.url).count() == 1


def test_a_web_page_without_url_is_refused_on_the_url_field(editor_client):
    errors = _url_errors(_add_source(editor_client, url=""))
    assert "A web page needs its URL" in errors


@pytest.mark.parametrize("url", ["ftp://files.example/report.txt", "ftps://files.example/report.txt"])
def test_only_http_and_https_addresses_are_accepted(editor_client, url):
    errors = _url_errors(_add_source(editor_client, kind="statement", url=url))
    assert "http" in errors
    assert not Source.objects.filter(url=url).exists()
