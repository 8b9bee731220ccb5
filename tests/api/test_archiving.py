"""Editors archive claimants (no deletes); archived ones leave the default lists only on request."""

from __future__ import annotations

import pytest

from claims.models import Claimant
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_editor_archives_a_claimant_and_filters_by_it(editor_api):
    # given
    kept = OrganisationFactory(name="Kept agency")
    gone = OrganisationFactory(name="Defunct agency")
    # when
    response = editor_api.patch(f"/api/claimants/{gone.pk}/", {"is_archived": True}, format="json")
    # then
    assert response.status_code == 200, response.content
    assert Claimant.objects.get(pk=gone.pk).is_archived is True
    archived = editor_api.get("/api/claimants/", {"archived": "true"}).json()["results"]
    active = editor_api.get("/api/claimants/", {"archived": "false"}).json()["results"]
    assert [c["name"] for c in archived] == ["Defunct agency"]
    assert kept.name in [c["name"] for c in active] and gone.name not in [c["name"] for c in active]


def test_claimants_are_never_deleted(editor_api):
    claimant = OrganisationFactory()
    assert editor_api.delete(f"/api/claimants/{claimant.pk}/").status_code == 405
    assert Claimant.objects.filter(pk=claimant.pk).exists()


def test_a_source_with_an_ftp_url_is_refused_with_the_field(editor_api):
    response = editor_api.post(
        "/api/sources/", {"name": "Files", "kind": "web", "url": "ftp://files.example/x"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "url"
    from claims.models import Source

    assert not Source.objects.filter(name="Files").exists()


def test_a_duplicate_source_url_names_the_problem(editor_api):
    editor_api.post("/api/sources/", {"name": "A", "kind": "web", "url": "https://a.example/x"}, format="json")
    response = editor_api.post(
        "/api/sources/", {"name": "B", "kind": "web", "url": "https://a.example/x"}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "url" and "already" in error["message"]
