"""Form data that is not valid in its charset is refused (400), never stored as U+FFFD."""

from __future__ import annotations

from urllib.parse import quote_from_bytes, urlencode

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claim
from tests.admin.conftest import change_form
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def claim() -> Claim:
    return ClaimFactory(text="Opposition fighters retreated some 20 km from Hama.")


def body_with_text(data: dict, text: bytes) -> bytes:
    """The form as a browser encodes it, with the claim text's bytes percent-encoded as given."""
    data = {key: value for key, value in data.items() if key != "text"}
    return (urlencode(data, doseq=True) + "&text=" + quote_from_bytes(text)).encode("ascii")


def post(client: Client, url: str, body: bytes, content_type: str = FORM):  # type: ignore[no-untyped-def]
    return client.post(url, body, content_type=content_type)


@pytest.mark.parametrize(
    "text",
    [
        b"Fighters retreated \xff from Hama.",  # not UTF-8 at all
        b"Fighters retreated \xc3 from Hama.",  # a truncated two-byte sequence
        b"Fighters retreated \xed\xa0\x80 from Hama.",  # an encoded surrogate
    ],
)
def test_invalid_utf8_in_an_admin_change_form_is_refused_and_nothing_is_saved(editor_client, claim, text):
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = change_form(editor_client, url)
    response = post(editor_client, url, body_with_text(data, text))
    assert response.status_code == 400
    assert "not valid UTF-8" in response.content.decode()
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.text, stored.version) == (claim.text, claim.version)


def test_raw_invalid_bytes_in_the_body_are_refused_too(editor_client, claim):
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    body = body_with_text(change_form(editor_client, url), b"ok") + b"&note=\xff"
    assert post(editor_client, url, body).status_code == 400


def test_valid_non_ascii_text_is_saved_as_sent(editor_client, claim):
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    text = "قالت المعارضة إنها انسحبت 20 كم — “retreated”."
    response = post(editor_client, url, body_with_text(change_form(editor_client, url), text.encode()))
    assert response.status_code == 302
    assert Claim.objects.get(pk=claim.pk).text == text


def test_the_login_form_and_query_strings_are_covered(editor_client):
    assert Client().post("/admin/login/", b"username=%FF&password=x", content_type=FORM).status_code == 400
    assert editor_client.get("/admin/claims/claim/?q=%FF").status_code == 400


def test_the_api_answers_in_its_error_shape(editor_client):
    response = editor_client.get("/api/claims/?search=%FF")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_encoding"
    assert "UTF-8" in response.json()["errors"][0]["message"]
