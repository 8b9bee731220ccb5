"""Bad input is a 4xx in the one error shape, names the field, and stores nothing."""

from __future__ import annotations

import json

import pytest

from claims.models import Claim, Claimant, Evidence
from tests.api.conftest import etag_of, fields_of

pytestmark = pytest.mark.django_db


def assert_error_shape(response, status: int) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    body = response.json()
    assert body["status_code"] == status
    assert body["errors"] and all({"field", "message", "code"} <= set(e) for e in body["errors"])


def test_malformed_json_is_400(editor_api, claim):
    response = editor_api.post("/api/claims/", data='{"text": "x",', content_type="application/json")
    assert_error_shape(response, 400)
    assert "JSON parse error" in response.json()["errors"][0]["message"]
    assert Claim.objects.count() == 1


def test_unknown_fields_are_refused_by_name(editor_api, claim):
    response = editor_api.post(
        "/api/claims/", {"text": "New.", "claimant": claim.claimant_id, "verdict": "true", "priority": 1}
    )
    assert_error_shape(response, 400)
    assert sorted(fields_of(response)) == ["priority", "verdict"]
    assert Claim.objects.count() == 1


def test_wrong_types_name_their_fields(editor_api, claim):
    response = editor_api.post("/api/claims/", {"text": ["a list"], "claimant": "Ministry"})
    assert_error_shape(response, 400)
    assert sorted(fields_of(response)) == ["claimant", "text"]
    # an id is a whole number: 1.5 is not read as 1
    response = editor_api.post("/api/claims/", {"text": "New.", "claimant": claim.claimant_id + 0.5})
    assert_error_shape(response, 400)
    assert fields_of(response) == ["claimant"]
    response = editor_api.post("/api/claims/", ["not", "an", "object"])
    assert_error_shape(response, 400)
    assert Claim.objects.count() == 1


def test_a_body_over_the_limit_is_413_not_500(editor_api, claim, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    huge = json.dumps({"text": "x" * (1024 * 1024 + 10), "claimant": claim.claimant_id})
    response = editor_api.post("/api/claims/", data=huge, content_type="application/json")
    assert_error_shape(response, 413)
    assert Claim.objects.count() == 1


def test_a_huge_form_body_is_413_too(editor_api, claim, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = editor_api.post(
        "/api/claims/",
        data=f"text={'x' * 5000}&claimant={claim.claimant_id}",
        content_type="application/x-www-form-urlencoded",
    )
    assert_error_shape(response, 413)
    assert Claim.objects.count() == 1


def test_an_unknown_status_is_400_listing_the_statuses(checker_api, claim):
    response = checker_api.post(
        f"/api/claims/{claim.pk}/status/",
        {"status": "true", "rationale": "r"},
        HTTP_IF_MATCH=etag_of(checker_api, claim.pk),
    )
    assert_error_shape(response, 400)
    assert fields_of(response) == ["status"]
    assert "unverified, unconfirmed, confirmed, disputed, false" in response.json()["errors"][0]["message"]
    assert claim.history.count() == 1


def test_a_blank_rationale_is_refused_by_the_rule(checker_api, claim):
    response = checker_api.post(
        f"/api/claims/{claim.pk}/status/",
        {"status": "unconfirmed", "rationale": "  "},
        HTTP_IF_MATCH=etag_of(checker_api, claim.pk),
    )
    assert_error_shape(response, 400)
    assert fields_of(response) == ["rationale"]


def test_evidence_naming_a_missing_source_is_400(checker_api, claim):
    response = checker_api.post(
        f"/api/claims/{claim.pk}/evidence/",
        {"source": 987654, "role": "supports"},
        HTTP_IF_MATCH=etag_of(checker_api, claim.pk),
    )
    assert_error_shape(response, 400)
    assert fields_of(response) == ["source"]
    assert Evidence.objects.count() == 1


def test_linking_the_same_source_twice_in_one_role_is_400(checker_api, claim):
    link = claim.evidence.get()
    response = checker_api.post(
        f"/api/claims/{claim.pk}/evidence/",
        {"source": link.source_id, "role": "made"},
        HTTP_IF_MATCH=etag_of(checker_api, claim.pk),
    )
    assert_error_shape(response, 400)
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize(
    "path", ["/api/claims/999999/", "/api/claims/abc/", "/api/claims/99999999999999999999999/", "/api/nowhere/"]
)
def test_unknown_objects_and_paths_are_json_404(viewer_api, path):
    assert_error_shape(viewer_api.get(path), 404)


@pytest.mark.parametrize("text", ["<script>alert('x')</script> captured", "1'; DROP TABLE claims_claim; --"])
def test_html_and_sql_in_text_are_stored_as_text(editor_api, claim, text):
    response = editor_api.post("/api/claims/", {"text": text, "claimant": claim.claimant_id})
    assert response.status_code == 201
    assert Claim.objects.get(pk=response.json()["id"]).text == text
    assert response["Content-Type"] == "application/json"


def test_nul_characters_are_400_not_a_database_error(editor_api, viewer_api, claim):
    response = editor_api.post("/api/claims/", {"text": "bad\x00byte", "claimant": claim.claimant_id})
    assert_error_shape(response, 400)
    assert_error_shape(viewer_api.get("/api/claims/", {"q": "bad\x00byte"}), 400)
    assert_error_shape(viewer_api.get("/api/claimants/", {"q": "\x00"}), 400)


def test_an_empty_claim_text_is_refused_by_the_rule(editor_api, claim):
    response = editor_api.post("/api/claims/", {"text": "   ", "claimant": claim.claimant_id})
    assert_error_shape(response, 400)
    assert fields_of(response) == ["text"]


def test_a_claimant_cannot_belong_to_a_person(editor_api):
    person = Claimant.objects.create(name="A person", kind="person")
    response = editor_api.post("/api/claimants/", {"name": "Someone", "kind": "person", "organisation": person.pk})
    assert_error_shape(response, 400)
    assert fields_of(response) == ["organisation"]


def test_an_empty_patch_changes_nothing(editor_api, claim):
    response = editor_api.patch(f"/api/claims/{claim.pk}/", {}, HTTP_IF_MATCH=etag_of(editor_api, claim.pk))
    assert_error_shape(response, 400)
    claim.refresh_from_db()
    assert claim.version == 1


def test_an_unsupported_body_type_is_415(editor_api, claim):
    response = editor_api.post("/api/claims/", data="text=x", content_type="text/plain")
    assert_error_shape(response, 415)
    assert Claim.objects.count() == 1


def test_an_unsupported_accept_is_406_in_the_same_shape(viewer_api, claim):
    response = viewer_api.get(f"/api/claims/{claim.pk}/claimreview/", HTTP_ACCEPT="text/csv")
    assert response.status_code == 406
    assert json.loads(response.content)["status_code"] == 406
