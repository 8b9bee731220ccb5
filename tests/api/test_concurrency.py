"""No lost updates: writes need If-Match, and a stale one is refused with the current state."""

from __future__ import annotations

import pytest

from claims.models import Claim
from tests.api.conftest import etag_of, token_client

pytestmark = pytest.mark.django_db


def test_two_editors_racing_lose_neither_change(editor, claim):
    # given two clients of the same desk, both holding version 1
    first, second = token_client(editor), token_client(editor)
    etag_first, etag_second = etag_of(first, claim.pk), etag_of(second, claim.pk)
    assert etag_first == etag_second == f'"claim-{claim.pk}-v1"'
    # when the first saves
    won = first.patch(f"/api/claims/{claim.pk}/", {"text": "Six fighters."}, HTTP_IF_MATCH=etag_first)
    assert won.status_code == 200
    # then the second is refused with the claim as it is now
    lost = second.patch(f"/api/claims/{claim.pk}/", {"is_archived": True}, HTTP_IF_MATCH=etag_second)
    assert lost.status_code == 412
    body = lost.json()
    assert body["status_code"] == 412
    assert "changed by someone else" in body["errors"][0]["message"]
    assert (body["current"]["text"], body["current"]["version"]) == ("Six fighters.", 2)
    assert lost["ETag"] == f'"claim-{claim.pk}-v2"'
    claim.refresh_from_db()
    assert (claim.is_archived, claim.version) == (False, 2)
    # and retrying with the new ETag keeps both changes
    retried = second.patch(f"/api/claims/{claim.pk}/", {"is_archived": True}, HTTP_IF_MATCH=lost["ETag"])
    assert retried.status_code == 200
    claim.refresh_from_db()
    assert (claim.text, claim.is_archived, claim.version) == ("Six fighters.", True, 3)


def test_a_status_change_on_a_stale_version_is_refused(fact_checker, editor, claim):
    checker, desk = token_client(fact_checker), token_client(editor)
    etag = etag_of(checker, claim.pk)
    desk.patch(f"/api/claims/{claim.pk}/", {"text": "Edited meanwhile."}, HTTP_IF_MATCH=etag)
    response = checker.post(
        f"/api/claims/{claim.pk}/status/", {"status": "unconfirmed", "rationale": "Seen."}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 412
    assert response.json()["current"]["text"] == "Edited meanwhile."
    assert Claim.objects.get(pk=claim.pk).status == "unverified"


def test_evidence_on_a_stale_version_is_refused(checker_api, editor_api, claim, independent_source):
    etag = etag_of(checker_api, claim.pk)
    editor_api.patch(f"/api/claims/{claim.pk}/", {"text": "Edited meanwhile."}, HTTP_IF_MATCH=etag)
    response = checker_api.post(
        f"/api/claims/{claim.pk}/evidence/", {"source": independent_source.pk, "role": "supports"}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 412
    assert claim.evidence.count() == 1


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "/api/claims/{id}/", {"text": "x"}),
        ("put", "/api/claims/{id}/", {"text": "x", "claimant": None}),
        ("post", "/api/claims/{id}/status/", {"status": "unconfirmed", "rationale": "r"}),
        ("post", "/api/claims/{id}/evidence/", {"source": 1, "role": "supports"}),
        ("delete", "/api/claims/{id}/evidence/1/", None),
    ],
)
def test_writes_without_if_match_get_428_and_change_nothing(editor_api, claim, method, path, body):
    response = getattr(editor_api, method)(path.format(id=claim.pk), body, format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["errors"][0]["message"]
    claim.refresh_from_db()
    assert claim.version == 1


@pytest.mark.parametrize("header", ["*", '"claim-999999-v1"', 'W/"claim-{id}-v1"', "garbage"])
def test_if_match_must_name_a_version_of_this_claim(editor_api, claim, header):
    response = editor_api.patch(f"/api/claims/{claim.pk}/", {"text": "x"}, HTTP_IF_MATCH=header.format(id=claim.pk))
    assert response.status_code in (412, 428)
    claim.refresh_from_db()
    assert claim.version == 1
