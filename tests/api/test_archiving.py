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
