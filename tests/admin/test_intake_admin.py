"""Intake in the admin: take in an article, decide on proposals, twins and fact-check imports."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import ArticleIntake, Claim, ClaimProposal, ClaimTwin, ExternalFactCheck
from tests.admin.conftest import form_data, messages_of
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db
TEXT = "Syrian state media SANA said opposition fighters retreated some 20km from government-held Hama."
FILES = Path(__file__).parents[1] / "intake" / "claimreview"
ADD = "/admin/claims/articleintake/add/"


def _take_in(client, **changes):  # type: ignore[no-untyped-def]
    data = form_data(client.get(ADD), "articleintake_form")
    data.update(changes)
    return client.post(ADD, data)


def test_editor_pastes_an_article_and_sees_its_proposals_and_progress(editor_client):
    response = _take_in(editor_client, pasted_text=TEXT, title="Hama", publisher_name="Example News")
    assert response.status_code == 302
    intake = ArticleIntake.objects.get()
    assert intake.state == ArticleIntake.State.DONE and intake.proposals.count() == 1
    listing = editor_client.get("/admin/claims/articleintake/")
    assert b'<progress max="100" value="100">' in listing.content
    page = editor_client.get(f"/admin/claims/articleintake/{intake.pk}/change/")
    assert b"Syrian state media SANA" in page.content


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pasted_text": "   "}, b"The text is empty"),
        ({"pasted_text": "x" * 300_000}, b"over the 200,000-byte limit"),
        ({"url": "http://169.254.169.254/latest/"}, b"This address may not be fetched"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_stored(editor_client, changes, message):
    response = _take_in(editor_client, **changes)
    assert response.status_code == 200 and message in response.content
    assert not ArticleIntake.objects.exists()


def _decide(client, proposal: ClaimProposal, **changes):  # type: ignore[no-untyped-def]
    url = f"/admin/claims/claimproposal/{proposal.pk}/change/"
    data = form_data(client.get(url), "claimproposal_form")
    data.update(changes)
    return client.post(url, data)


def test_accept_with_edited_wording_then_the_claim_shows_its_twin(editor_client):
    twin = ClaimFactory(text="Opposition fighters retreated 20 km from Hama, SANA says.", status="false")
    _take_in(editor_client, pasted_text=TEXT, title="Hama")
    proposal = ClaimProposal.objects.get()
    page = editor_client.get(f"/admin/claims/claimproposal/{proposal.pk}/change/")
    assert f"#{twin.pk}".encode() in page.content  # a likely twin is shown before deciding
    response = _decide(
        editor_client, proposal, decision="accept", text="Opposition fighters retreated 20 km from Hama."
    )
    assert response.status_code == 302, response.content
    claim = Claim.objects.exclude(pk=twin.pk).get()
    assert claim.text == "Opposition fighters retreated 20 km from Hama."
    assert claim.claimant.name == "Syrian state media SANA"
    assert ClaimTwin.objects.get().kind == ClaimTwin.Kind.AUTO  # alike enough to be linked on accept
    page = editor_client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert 'Twin <span class="status-badge status-false"' in page and f"#{twin.pk}</a>" in page


def test_deciding_twice_is_a_form_error(editor_client):
    _take_in(editor_client, pasted_text=TEXT, title="Hama")
    proposal = ClaimProposal.objects.get()
    assert _decide(editor_client, proposal, decision="reject", reason="opinion").status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ClaimProposal.State.REJECTED
    again = _decide(editor_client, proposal, decision="accept")
    assert again.status_code == 200 and b"already rejected" in again.content
    assert not Claim.objects.exists()


def test_fact_checkers_may_not_decide(checker_client, editor_client):
    _take_in(editor_client, pasted_text=TEXT, title="Hama")
    proposal = ClaimProposal.objects.get()
    response = checker_client.post(f"/admin/claims/claimproposal/{proposal.pk}/change/", {"decision": "reject"})
    assert response.status_code == 403
    assert ClaimProposal.objects.get().state == ClaimProposal.State.PENDING


def test_claimreview_upload_twice_adds_nothing_and_bad_file_is_a_form_error(editor_client):
    url = "/admin/claims/externalfactcheck/import/"
    for _ in range(2):
        upload = SimpleUploadedFile("graph.jsonld", (FILES / "graph.jsonld").read_bytes())
        response = editor_client.post(url, {"file": upload}, follow=True)
    assert "0 fact-checks imported, 2 already present." in messages_of(response)
    bad = editor_client.post(url, {"file": SimpleUploadedFile("bad.json", b"{not json")})
    assert bad.status_code == 200 and b"is not JSON" in bad.content
    assert ExternalFactCheck.objects.count() == 2


def test_a_queued_intake_reloads_its_pages_until_done(editor_client):
    response = _take_in(editor_client, url="https://news.example/hama")  # queued for a worker
    assert response.status_code == 302
    intake = ArticleIntake.objects.get()
    assert intake.state == ArticleIntake.State.QUEUED
    for url in ("/admin/claims/articleintake/", f"/admin/claims/articleintake/{intake.pk}/change/"):
        page = editor_client.get(url)
        assert b'<meta http-equiv="refresh" content="5">' in page.content
        assert b'<progress max="100" value="0">' in page.content


def test_editor_links_twins(editor_client):
    a, b = ClaimFactory(), ClaimFactory()
    add = "/admin/claims/claimtwin/add/"
    data = form_data(editor_client.get(add), "claimtwin_form")
    data.update(first=str(b.pk), second=str(a.pk))
    assert editor_client.post(add, data).status_code == 302
    twin = ClaimTwin.objects.get()
    assert (twin.first_id, twin.second_id, twin.kind) == (a.pk, b.pk, ClaimTwin.Kind.EDITOR)


def test_a_claim_page_shows_likely_twins_not_yet_linked(editor_client):
    claim = ClaimFactory(text="Opposition fighters retreated some 20 km from government-held Hama on Wednesday.")
    other = ClaimFactory(text="Opposition fighters have retreated 20 km from Hama, which the government holds.")
    page = editor_client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert "Likely twin" in page and f"#{other.pk}</a>" in page


def test_viewers_see_intakes_and_proposals_read_only(viewer_client, editor_client):
    _take_in(editor_client, pasted_text=TEXT, title="Hama")
    intake, proposal = ArticleIntake.objects.get(), ClaimProposal.objects.get()
    assert viewer_client.get(f"/admin/claims/articleintake/{intake.pk}/change/").status_code == 200
    page = viewer_client.get(f"/admin/claims/claimproposal/{proposal.pk}/change/")
    assert page.status_code == 200 and b'name="decision"' not in page.content
    assert viewer_client.get(ADD).status_code == 403
