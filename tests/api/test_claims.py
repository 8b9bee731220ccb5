"""Reading and changing claims through the API: embeds, edits, status, evidence, history."""

from __future__ import annotations

import pytest
from django.utils import timezone

from claims.models import Claim, Evidence, SourceCheck, StatusChange
from claims.services.check_summary import source_record_last_check
from tests.api.conftest import etag_of, fields_of
from tests.factories import ClaimFactory, EvidenceFactory

pytestmark = pytest.mark.django_db


def test_a_claim_embeds_what_a_fact_checker_needs(viewer_api, claim):
    # given a finished re-check of the claim's source
    source = claim.evidence.get().source
    check = SourceCheck.objects.create(
        source=source, state="done", outcome="changed", reason="Text changed.", finished_at=timezone.now()
    )
    source_record_last_check(check=check)
    # when
    response = viewer_api.get(f"/api/claims/{claim.pk}/")
    # then
    assert response.status_code == 200
    assert response["ETag"] == f'"claim-{claim.pk}-v1"'
    body = response.json()
    assert body["text"] == "We captured five fighters near the bridge."
    assert (body["status"], body["version"], body["needs_review"], body["review_reason"]) == (
        "unverified",
        1,
        False,
        "",
    )
    assert body["claimant"]["name"] == "Ministry spokesperson"
    assert body["claimant"]["kind"] == "person"
    assert body["claimant"]["organisation"]["name"] == "Ministry of Defence"
    [link] = body["evidence"]
    assert link["role"] == "made"
    assert link["quote"] == "five fighters were captured"
    assert link["quote_state"] == "unchecked"
    assert link["source"] == {
        "id": source.pk,
        "name": "Ministry statement",
        "url": "https://mod.example/statement",
        "kind": "web",
        "publisher": {"id": source.publisher_id, "name": "Ministry of Defence"},
    }
    assert body["last_recheck"]["id"] == check.pk
    assert body["last_recheck"]["outcome"] == "changed"
    assert body["last_recheck"]["url"].endswith(f"/api/checks/{check.pk}/")


def test_an_unchanged_claim_answers_304_to_its_etag(viewer_api, claim):
    etag = etag_of(viewer_api, claim.pk)
    response = viewer_api.get(f"/api/claims/{claim.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_an_editor_records_a_claim_as_unverified_with_its_first_history_entry(editor_api, claim):
    response = editor_api.post(
        "/api/claims/", {"text": "The bridge was destroyed.", "claimant": claim.claimant_id}, format="json"
    )
    assert response.status_code == 201, response.json()
    created = Claim.objects.get(pk=response.json()["id"])
    assert created.status == "unverified"
    assert response["Location"].endswith(f"/api/claims/{created.pk}/")
    assert response["ETag"] == f'"claim-{created.pk}-v1"'
    entry = created.history.get()
    assert (entry.via, entry.changed_by.username) == ("api", "editor")


def test_an_editor_edits_a_claim_with_its_etag(editor_api, claim):
    etag = etag_of(editor_api, claim.pk)
    response = editor_api.patch(
        f"/api/claims/{claim.pk}/", {"text": "We captured six fighters."}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    assert response["ETag"] == f'"claim-{claim.pk}-v2"'
    claim.refresh_from_db()
    assert claim.text == "We captured six fighters."


def test_status_cannot_be_patched_and_the_error_names_the_field(editor_api, claim):
    etag = etag_of(editor_api, claim.pk)
    response = editor_api.patch(
        f"/api/claims/{claim.pk}/", {"status": "false", "text": "x"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 400
    assert fields_of(response) == ["status"]
    assert "/status/" in response.json()["errors"][0]["message"]
    claim.refresh_from_db()
    assert (claim.status, claim.version, claim.text) == ("unverified", 1, "We captured five fighters near the bridge.")


def test_archiving_hides_a_claim_from_lists_but_keeps_it(editor_api, claim):
    etag = etag_of(editor_api, claim.pk)
    response = editor_api.patch(f"/api/claims/{claim.pk}/", {"is_archived": True}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert [c["id"] for c in editor_api.get("/api/claims/").json()["results"]] == []
    assert [c["id"] for c in editor_api.get("/api/claims/?archived=true").json()["results"]] == [claim.pk]


def test_claims_cannot_be_deleted(editor_api, claim):
    response = editor_api.delete(f"/api/claims/{claim.pk}/")
    assert response.status_code == 405
    assert response.json()["status_code"] == 405
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_a_fact_checker_confirms_a_claim_with_independent_evidence(checker_api, claim, independent_source):
    # given an independent supporting source, added through the API
    etag = etag_of(checker_api, claim.pk)
    added = checker_api.post(
        f"/api/claims/{claim.pk}/evidence/",
        {"source": independent_source.pk, "role": "supports", "quote": "five were detained"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert added.status_code == 201, added.json()
    assert added["Location"].endswith(f"/api/evidence/{claim.evidence.get(role='supports').pk}/")
    # when
    response = checker_api.post(
        f"/api/claims/{claim.pk}/status/",
        {"status": "confirmed", "rationale": "Wire agency saw the detainees."},
        format="json",
        HTTP_IF_MATCH=added["ETag"],
    )
    # then
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "confirmed"
    entry = StatusChange.objects.filter(claim=claim).latest()
    assert (entry.from_status, entry.to_status, entry.via) == ("unverified", "confirmed", "api")
    assert (entry.rationale, entry.changed_by.username) == ("Wire agency saw the detainees.", "checker")


def test_the_independence_rule_holds_through_the_api(checker_api, claim):
    # given only the claimant's own statement
    etag = etag_of(checker_api, claim.pk)
    # when
    response = checker_api.post(
        f"/api/claims/{claim.pk}/status/", {"status": "confirmed", "rationale": "Looks right."}, HTTP_IF_MATCH=etag
    )
    # then
    assert response.status_code == 400
    assert fields_of(response) == ["status"]
    assert "other than the claimant" in response.json()["errors"][0]["message"]
    claim.refresh_from_db()
    assert (claim.status, claim.history.count()) == ("unverified", 1)


def test_false_needs_a_refuting_source(checker_api, claim):
    etag = etag_of(checker_api, claim.pk)
    response = checker_api.post(
        f"/api/claims/{claim.pk}/status/", {"status": "false", "rationale": "Nope."}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 400
    assert "refuting source" in response.json()["errors"][0]["message"]


def test_history_lists_every_change_newest_first(checker_api, claim):
    etag = etag_of(checker_api, claim.pk)
    checker_api.post(
        f"/api/claims/{claim.pk}/status/", {"status": "unconfirmed", "rationale": "Reviewed."}, HTTP_IF_MATCH=etag
    )
    response = checker_api.get(f"/api/claims/{claim.pk}/history/")
    assert response.status_code == 200
    assert [(e["from_status"], e["to_status"], e["changed_by"]) for e in response.json()] == [
        ("unverified", "unconfirmed", "checker"),
        ("", "unverified", None),
    ]


def test_an_editor_removes_evidence_and_cannot_reach_another_claims(editor_api, claim):
    # given evidence on another claim
    other = EvidenceFactory(claim=ClaimFactory(), role="supports")
    etag = etag_of(editor_api, claim.pk)
    # when it is named under this claim
    response = editor_api.delete(f"/api/claims/{claim.pk}/evidence/{other.pk}/", HTTP_IF_MATCH=etag)
    # then nothing is removed
    assert response.status_code == 404
    assert Evidence.objects.filter(pk=other.pk).exists()
    # and this claim's own evidence goes
    own = claim.evidence.get()
    response = editor_api.delete(f"/api/claims/{claim.pk}/evidence/{own.pk}/", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    assert response.json()["evidence"] == []
    assert response["ETag"] == f'"claim-{claim.pk}-v2"'


def test_evidence_a_confirmed_status_rests_on_cannot_be_removed(editor_api, checker_api, claim, independent_source):
    etag = etag_of(checker_api, claim.pk)
    etag = checker_api.post(
        f"/api/claims/{claim.pk}/evidence/",
        {"source": independent_source.pk, "role": "supports"},
        HTTP_IF_MATCH=etag,
    )["ETag"]
    etag = checker_api.post(
        f"/api/claims/{claim.pk}/status/", {"status": "confirmed", "rationale": "Agency."}, HTTP_IF_MATCH=etag
    )["ETag"]
    supporting = claim.evidence.get(role="supports")
    response = editor_api.delete(f"/api/claims/{claim.pk}/evidence/{supporting.pk}/", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    assert fields_of(response) == ["source"]
    assert Evidence.objects.filter(pk=supporting.pk).exists()


def test_evidence_lists_and_filters(viewer_api, claim):
    source_id = claim.evidence.get().source_id
    assert [e["id"] for e in viewer_api.get(f"/api/claims/{claim.pk}/evidence/").json()] == [claim.evidence.get().pk]
    listed = viewer_api.get(f"/api/evidence/?source={source_id}").json()["results"]
    assert [(e["claim"], e["role"]) for e in listed] == [(claim.pk, "made")]
    assert viewer_api.get(f"/api/evidence/?source={source_id + 1000}").json()["results"] == []


def test_catalogue_rows_are_created_and_archived_not_deleted(editor_api):
    org = editor_api.post("/api/claimants/", {"name": "Monitor group", "kind": "organisation"}).json()
    source = editor_api.post(
        "/api/sources/",
        {"name": "Monitor post", "kind": "web", "url": "https://monitor.example/1", "publisher": org["id"]},
    )
    assert source.status_code == 201, source.json()
    archived = editor_api.patch(f"/api/sources/{source.json()['id']}/", {"is_archived": True})
    assert archived.json()["is_archived"] is True
    assert editor_api.delete(f"/api/sources/{source.json()['id']}/").status_code == 405
    article = editor_api.post("/api/articles/", {"title": "Monitor report", "publisher": org["id"]})
    assert article.status_code == 201, article.json()


def test_a_web_source_needs_a_url_and_the_error_says_so(editor_api):
    response = editor_api.post("/api/sources/", {"name": "No address", "kind": "web"})
    assert response.status_code == 400
    assert response.json()["errors"]
