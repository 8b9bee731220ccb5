"""The intake endpoints: submit, decide, twins and external fact-checks, with who may do what."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.models import ArticleIntake, Claim, ClaimProposal, ExternalFactCheck
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db
TEXT = (
    "Syrian state media SANA said opposition fighters retreated some 20km from government-held Hama.\n"
    "Wassim, a driver, said the sounds were really terrifying."
)
CLAIMREVIEW = Path(__file__).parents[1] / "intake" / "claimreview" / "single.json"


def _submit(client, **body):  # type: ignore[no-untyped-def]
    return client.post("/api/intakes/", body, format="json")


def test_editor_pastes_an_article_and_accepts_a_proposal_with_edited_wording(editor_api):
    response = _submit(editor_api, text=TEXT, title="Hama report", publisher="Example News")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "done" and body["progress"] == 100 and response["Location"].endswith(f"/{body['id']}/")
    [proposal] = body["proposals"]
    assert proposal["claimant_guess"] == "Syrian state media SANA" and proposal["figures"] == ["some 20km"]
    accepted = editor_api.post(
        f"/api/proposals/{proposal['id']}/accept/", {"text": "Opposition fighters retreated 20 km from Hama."}
    )
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["state"] == "accepted"
    claim = Claim.objects.get(pk=accepted.json()["claim"])
    assert claim.text == "Opposition fighters retreated 20 km from Hama." and claim.evidence.get().quote.startswith(
        "Syrian state media SANA said"
    )


def test_who_may_submit_and_decide(anon_api, viewer_api, checker_api, editor_api):
    assert _submit(anon_api, text=TEXT).status_code == 401
    assert _submit(viewer_api, text=TEXT).status_code == 403
    assert _submit(checker_api, text=TEXT).status_code == 201
    proposal = ClaimProposal.objects.first()
    assert viewer_api.get(f"/api/proposals/{proposal.pk}/").status_code == 200
    assert checker_api.post(f"/api/proposals/{proposal.pk}/accept/", {}).status_code == 403
    assert checker_api.post(f"/api/proposals/{proposal.pk}/reject/", {}).status_code == 403
    assert editor_api.post(f"/api/proposals/{proposal.pk}/reject/", {"reason": "opinion"}).json()["state"] == "rejected"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"text": "   "}, "text", "The text is empty"),
        ({"text": "a" * 500_000}, "text", "over the 200,000-byte limit"),
        ({"url": "http://169.254.169.254/latest/meta-data/"}, "url", "may not be fetched"),
        ({"url": "ftp://example.org/x"}, "url", "http:// or https://"),
        ({}, "text", "Give the article's URL or paste its text"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_stored(editor_api, body, field, message):
    response = _submit(editor_api, **body)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == field and message in error["message"]
    assert not ArticleIntake.objects.exists()


def test_a_url_is_queued_for_a_worker(editor_api):
    response = _submit(editor_api, url="https://news.example/hama")
    assert response.status_code == 202 and response.json()["state"] == "queued"


def test_proposal_shows_likely_twins_and_merges_into_one(editor_api):
    twin = ClaimFactory(text="Opposition fighters retreated some 20km from government-held Hama.")
    body = _submit(editor_api, text=TEXT, title="Hama").json()
    proposal_id = body["proposals"][0]["id"]
    detail = editor_api.get(f"/api/proposals/{proposal_id}/").json()
    assert [t["claim"] for t in detail["likely_twins"]] == [twin.pk]
    merged = editor_api.post(f"/api/proposals/{proposal_id}/merge/", {"claim": twin.pk})
    assert merged.status_code == 200 and merged.json()["state"] == "merged"
    again = editor_api.post(f"/api/proposals/{proposal_id}/accept/", {})
    assert again.status_code == 400 and "already merged" in again.json()["errors"][0]["message"]


def test_twins_link_list_unlink(editor_api, viewer_api):
    a, b = ClaimFactory(status="false"), ClaimFactory()
    assert viewer_api.post("/api/twins/", {"claim": a.pk, "twin": b.pk}).status_code == 403
    created = editor_api.post("/api/twins/", {"claim": b.pk, "twin": a.pk})
    assert created.status_code == 201 and created.json()["first_status"] == "false"
    listed = viewer_api.get(f"/api/twins/?claim={b.pk}").json()["results"]
    assert [(t["first"], t["second"]) for t in listed] == [(a.pk, b.pk)]
    assert editor_api.delete(f"/api/twins/{created.json()['id']}/").status_code == 204


def test_claimreview_import_twice_adds_nothing_and_bad_input_is_refused(editor_api, checker_api):
    document = json.loads(CLAIMREVIEW.read_text())
    assert checker_api.post("/api/factchecks/import/", document, format="json").status_code == 403
    assert editor_api.post("/api/factchecks/import/", document, format="json").json() == {"created": 1, "existing": 0}
    assert editor_api.post("/api/factchecks/import/", document, format="json").json() == {"created": 0, "existing": 1}
    bad = editor_api.post("/api/factchecks/import/", {**document, "claimReviewed": ""}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "file"
    assert ExternalFactCheck.objects.count() == 1
    claim = ClaimFactory(text="Opposition fighters retreated some 20 km from government-held Hama.")
    matching = checker_api.get(f"/api/factchecks/?claim={claim.pk}").json()["results"]
    assert [m["mapped_status"] for m in matching] == ["disputed"]


def test_likely_twins_of_a_claim(viewer_api):
    claim = ClaimFactory(text="Opposition fighters retreated some 20 km from government-held Hama on Wednesday.")
    other = ClaimFactory(text="Opposition fighters have retreated 20 km from Hama, which the government holds.")
    ClaimFactory(text="Opposition fighters retreated some 10 km from government-held Hama on Wednesday.")
    found = viewer_api.get(f"/api/twins/suggestions/?claim={claim.pk}")
    assert found.status_code == 200 and [t["claim"] for t in found.json()] == [other.pk]
    assert viewer_api.get("/api/twins/suggestions/?claim=x").status_code == 400
    assert viewer_api.get("/api/twins/suggestions/?claim=999999").status_code == 404
