"""Cursors are signed: the next/previous links work, and any cursor the API did not issue is a 400."""

from __future__ import annotations

import base64
import json

import pytest
from django.core import signing

from claims.api.pagination import CURSOR_SALT
from claims.models import Claim, SourceCheck
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

LISTS = ["/api/claims/", "/api/checks/", "/api/claimreview/"]


def unsigned(payload: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def forged(ordering: str) -> list[str]:
    far_offset = {"o": ordering, "v": "0113-04-29T15:29:00-18:32", "i": 1}
    return [
        unsigned(far_offset),  # the old unsigned form, with an offset PostgreSQL refuses
        unsigned({"o": ordering, "v": 1, "i": 1}),
        signing.dumps({"o": ordering, "v": 1, "i": 1}, salt="another purpose"),
        signing.dumps({"o": ordering, "v": 1, "i": 1}, salt=CURSOR_SALT)[:-2] + "xx",  # tampered
        "not-a-cursor",
        "",
    ]


@pytest.fixture
def two_of_each(db) -> None:
    for _ in range(2):
        ClaimFactory(status=Claim.Status.UNCONFIRMED, is_published=True)
        SourceCheck.objects.create(source=SourceFactory())


@pytest.mark.parametrize("path", LISTS)
def test_next_links_walk_every_list(viewer_api, two_of_each, path):
    first = viewer_api.get(path, {"page_size": 1}).json()
    second = viewer_api.get(first["next"]).json()

    items = "dataFeedElement" if path == "/api/claimreview/" else "results"
    assert len(first[items]) == len(second[items]) == 1
    assert first[items] != second[items]
    assert viewer_api.get(second["previous"]).json()[items] == first[items]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("ordering", ["-updated_at", "-id", "-requested_at"])
def test_forged_cursors_are_400(viewer_api, two_of_each, path, ordering):
    for cursor in forged(ordering):
        if not cursor:
            continue
        response = viewer_api.get(path, {"cursor": cursor})
        assert response.status_code == 400, (cursor, response.content[:200])
        assert [e["field"] for e in response.json()["errors"]] == ["cursor"]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("bad_id", [1.5, "7", True, 2**63, 0])
def test_signed_cursors_with_a_non_integer_id_are_400(viewer_api, two_of_each, path, bad_id):
    # Even a cursor signed with our key (a leaked one, say) cannot carry a non-id to the query.
    cursor = signing.dumps({"o": "-id", "v": 1, "i": bad_id}, salt=CURSOR_SALT, compress=True)

    response = viewer_api.get(path, {"cursor": cursor, "ordering": "-id"})

    assert response.status_code == 400, response.content[:200]


def test_a_signed_cursor_with_an_offset_past_postgresql_is_turned_into_utc(viewer_api, two_of_each):
    cursor = signing.dumps({"o": "-updated_at", "v": "2030-04-29T15:29:00-18:32", "i": 1}, salt=CURSOR_SALT)

    response = viewer_api.get("/api/claims/", {"cursor": cursor})

    assert response.status_code == 200
