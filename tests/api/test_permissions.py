"""Who may do what, by group; anonymous requests get 401 everywhere."""

from __future__ import annotations

import pytest

from tests.api.conftest import etag_of

pytestmark = pytest.mark.django_db

READS = [
    "/api/claims/",
    "/api/claims/{claim}/",
    "/api/claims/{claim}/history/",
    "/api/claims/{claim}/evidence/",
    "/api/claimants/",
    "/api/sources/",
    "/api/articles/",
    "/api/evidence/",
    "/api/checks/",
    "/api/claimreview/",
    "/api/schema/?format=json",
]


@pytest.mark.parametrize("path", READS)
def test_anonymous_requests_are_401(anon_api, claim, path):
    response = anon_api.get(path.format(claim=claim.pk))
    assert response.status_code == 401
    assert response.json()["status_code"] == 401


@pytest.mark.parametrize("path", READS)
def test_viewers_read_everything(viewer_api, claim, path):
    assert viewer_api.get(path.format(claim=claim.pk)).status_code == 200


def _writes(claim, source_id):  # type: ignore[no-untyped-def]
    return {
        "create claim": ("post", "/api/claims/", {"text": "New.", "claimant": claim.claimant_id}),
        "edit claim": ("patch", f"/api/claims/{claim.pk}/", {"text": "Edited."}),
        "archive claim": ("patch", f"/api/claims/{claim.pk}/", {"is_archived": True}),
        "change status": ("post", f"/api/claims/{claim.pk}/status/", {"status": "unconfirmed", "rationale": "Seen."}),
        "add evidence": ("post", f"/api/claims/{claim.pk}/evidence/", {"source": source_id, "role": "supports"}),
        "recheck claim": ("post", f"/api/claims/{claim.pk}/recheck/", None),
        "add claimant": ("post", "/api/claimants/", {"name": "Someone", "kind": "person"}),
        "add source": ("post", "/api/sources/", {"name": "A post", "kind": "social", "url": ""}),
        "edit source": ("patch", f"/api/sources/{source_id}/", {"notes": "n"}),
        "add article": ("post", "/api/articles/", {"title": "A report"}),
    }


ALLOWED = {
    "viewer": set(),
    "fact_checker": {"change status", "add evidence", "recheck claim", "add source"},
    "editor": {
        "create claim",
        "edit claim",
        "archive claim",
        "change status",
        "add evidence",
        "recheck claim",
        "add claimant",
        "add source",
        "edit source",
        "add article",
    },
}


@pytest.mark.parametrize("role", ["viewer", "fact_checker", "editor"])
@pytest.mark.parametrize("name", sorted(ALLOWED["editor"]))
def test_each_role_may_do_only_its_part(request, claim, independent_source, role, name):
    client = request.getfixturevalue(
        {"viewer": "viewer_api", "fact_checker": "checker_api", "editor": "editor_api"}[role]
    )
    method, path, body = _writes(claim, independent_source.pk)[name]
    response = getattr(client, method)(path, body, format="json", HTTP_IF_MATCH=etag_of(client, claim.pk))
    if name in ALLOWED[role]:
        assert response.status_code in (200, 201, 202), (name, response.json())
    else:
        assert response.status_code == 403, (name, response.status_code)
        assert response.json()["errors"][0]["field"] is None


def test_only_editors_remove_evidence(checker_api, editor_api, claim):
    link = claim.evidence.get()
    path = f"/api/claims/{claim.pk}/evidence/{link.pk}/"
    assert checker_api.delete(path, HTTP_IF_MATCH=etag_of(checker_api, claim.pk)).status_code == 403
    assert editor_api.delete(path, HTTP_IF_MATCH=etag_of(editor_api, claim.pk)).status_code == 200


def test_a_user_without_a_group_reads_nothing(claim):
    from tests.api.conftest import token_client
    from tests.factories import UserFactory

    client = token_client(UserFactory(username="outsider"))
    assert client.get("/api/claims/").status_code == 403
    assert client.get(f"/api/claims/{claim.pk}/claimreview/").status_code == 403
