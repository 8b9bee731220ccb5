"""Arabic in the admin: a claim's search language, and right-to-left text shown the right way round."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.admin.diff import quote_pattern
from claims.fetching import check_quote
from claims.models import Claim
from tests.admin.conftest import change_form
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

# "The opposition forces withdrew 20 km from the city."
ARABIC_CLAIM = "انسحبت قوات المعارضة ٢٠ كم من المدينة"


def test_editors_set_a_claims_search_language(editor_client):
    claim = ClaimFactory(text=ARABIC_CLAIM)
    url = reverse("admin:claims_claim_change", args=[claim.pk])

    response = editor_client.post(url, change_form(editor_client, url, language="ar"))

    assert response.status_code == 302
    assert Claim.objects.get(pk=claim.pk).language == "ar"


def test_an_unknown_language_is_a_form_error(editor_client):
    claim = ClaimFactory(text=ARABIC_CLAIM)
    url = reverse("admin:claims_claim_change", args=[claim.pk])

    response = editor_client.post(url, change_form(editor_client, url, language="xx"))

    assert response.status_code == 200
    assert "language" in response.context["adminform"].form.errors
    assert Claim.objects.get(pk=claim.pk).language == ""


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("قُوَّاتُ المُعَارَضَةِ انسحـــبت 20 كم من المدينه", True),  # marks, tatweel, ASCII digits, ha
        ("قوات المعارضة انسحبت ۲۰ كم من المدينة", True),  # Persian digits
        ("قوات المعارضة انسحبت ٣٠ كم من المدينة", False),  # another figure
    ],
)
def test_the_diff_finds_an_arabic_quote_as_the_check_does(text: str, found: bool) -> None:
    pattern = quote_pattern("قوات المعارضة انسحبت ٢٠ كم من المدينة")

    assert pattern is not None
    assert bool(pattern.search(text)) is found
    assert (check_quote("قوات المعارضة انسحبت ٢٠ كم من المدينة", text).state == "intact") is found


def test_the_diff_still_finds_english_quotes_despite_quote_marks_and_case() -> None:
    pattern = quote_pattern('The "army" - 20km')

    assert pattern is not None and pattern.search("the \u201carmy\u201d \u2013 20KM")
