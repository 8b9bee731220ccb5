"""Source URLs in the admin: refused with the fetcher's reason; an old bad URL does not block other edits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.fetching.urls import url_refusal
from claims.models import Source
from tests.admin.conftest import form_data
from tests.factories import SourceFactory
from tests.fetching.test_url_input import UNSAFE_URLS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_allowed_hosts(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FETCH_ALLOWED_HOSTS = []  # the test settings allow 127.0.0.1 and localhost for local servers


def _add(client, url: str):  # type: ignore[no-untyped-def]
    data = {"name": "New source", "kind": "web", "url": url, "notes": "", "is_monitored": "on"}
    return client.post(reverse("admin:claims_source_add"), data)


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_a_url_the_fetcher_refuses_is_refused_on_the_url_field_with_the_reason(editor_client, url: str) -> None:
    response = _add(editor_client, url)
    assert response.status_code == 200, "the form was accepted"
    errors = " ".join(response.context["adminform"].form.errors.get("url", []))
    assert url_refusal(url) in errors
    assert not Source.objects.filter(name="New source").exists()


def test_a_source_holding_an_old_bad_url_can_still_be_edited_in_its_other_fields(editor_client) -> None:
    # given a row stored before the rule existed
    source = SourceFactory(url="http://example.com@127.0.0.1/")
    page = reverse("admin:claims_source_change", args=[source.pk])
    data = form_data(editor_client.get(page), "source_form")
    # when the editor changes only the notes
    data.update(notes="URL to be corrected.", _save="Save")
    response = editor_client.post(page, data)
    # then the notes are saved and the URL is as it was
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.notes, source.url) == ("URL to be corrected.", "http://example.com@127.0.0.1/")


def test_changing_an_old_bad_url_to_another_bad_one_is_refused(editor_client) -> None:
    source = SourceFactory(url="http://example.com@127.0.0.1/")
    page = reverse("admin:claims_source_change", args=[source.pk])
    data = form_data(editor_client.get(page), "source_form")
    data.update(url="http://10.0.0.1/", _save="Save")
    response = editor_client.post(page, data)
    assert response.status_code == 200
    assert "not a public address" in " ".join(response.context["adminform"].form.errors["url"])
