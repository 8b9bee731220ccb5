"""Source URLs in the API: refused with the fetcher's reason (400, field url); old bad URLs stay editable."""

from __future__ import annotations

import pytest

from claims.fetching.urls import url_refusal
from claims.models import Source
from tests.factories import SourceFactory
from tests.fetching.test_url_input import UNSAFE_URLS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_allowed_hosts(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FETCH_ALLOWED_HOSTS = []  # the test settings allow 127.0.0.1 and localhost for local servers


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_creating_a_source_the_fetcher_refuses_is_a_400_with_the_reason(editor_api, url: str) -> None:
    response = editor_api.post("/api/sources/", {"name": "New", "kind": "web", "url": url}, format="json")
    assert response.status_code == 400, response.content
    (error,) = response.json()["errors"]
    assert error["field"] == "url"
    assert url_refusal(url) in error["message"]
    assert not Source.objects.filter(name="New").exists()


def test_changing_a_url_to_one_the_fetcher_refuses_is_a_400(editor_api) -> None:
    source = SourceFactory(url="https://news.example/a")
    response = editor_api.patch(f"/api/sources/{source.pk}/", {"url": "http://127.0.0.1\\@example.com/"}, format="json")
    assert response.status_code == 400
    assert "backslash" in response.json()["errors"][0]["message"]
    source.refresh_from_db()
    assert source.url == "https://news.example/a"


def test_a_source_holding_an_old_bad_url_can_still_be_edited_in_its_other_fields(editor_api) -> None:
    source = SourceFactory(url="http://example.com@127.0.0.1/")
    response = editor_api.patch(f"/api/sources/{source.pk}/", {"notes": "URL to be corrected."}, format="json")
    assert response.status_code == 200, response.content
    source.refresh_from_db()
    assert (source.notes, source.url) == ("URL to be corrected.", "http://example.com@127.0.0.1/")
