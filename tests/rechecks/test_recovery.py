"""A source that comes back: the recovery is recorded on the check and shown where the desk reads flags.

The flag stays until a person clears it; what changes is that the review queue and the API
say the source is back ("was gone on 2 checks; back since <time>, quote intact") and sort
those claims apart.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Claim
from claims.services.checking import source_check_now
from tests.api.conftest import token_client
from tests.factories import ClaimFactory
from tests.fetching.servers import PageServer
from tests.rechecks.stack import gone_then_back

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("admin:claims_claim_review_queue")


def test_the_check_that_finds_the_source_back_records_the_recovery(pages: PageServer) -> None:
    # when a page gone on two checks is restored
    claim, back = gone_then_back(pages)

    # then the check says what the source came back from, the flag stays, the quote is intact
    assert (back.outcome, back.recovered_from, back.recovered_after) == ("changed", "gone", 2)
    assert claim.needs_review and "gone (HTTP 404 on 2 checks in a row)" in claim.review_reason


def test_the_api_shows_the_recovery_and_filters_on_it(pages: PageServer, fact_checker) -> None:
    claim, back = gone_then_back(pages)
    still_flagged = ClaimFactory(text="Still waiting.", needs_review=True, review_reason="Something else.")
    api = token_client(fact_checker)

    recovered = api.get("/api/claims/", {"recovered": "true"}).json()["results"]
    others = api.get("/api/claims/", {"recovered": "false", "needs_review": "true"}).json()["results"]
    detail = api.get(f"/api/claims/{claim.pk}/").json()

    since = back.finished_at.strftime("%Y-%m-%d %H:%M UTC")
    assert [row["id"] for row in recovered] == [claim.pk]
    assert recovered[0]["review_recovery"] == f"was gone on 2 checks; back since {since}, quote intact"
    assert [row["id"] for row in others] == [still_flagged.pk]
    assert others[0]["review_recovery"] == ""
    assert detail["needs_review"] and detail["review_recovery"] == recovered[0]["review_recovery"]


def test_the_review_queue_shows_recovered_claims_apart(pages: PageServer, editor_client) -> None:
    claim, _back = gone_then_back(pages)
    newer = ClaimFactory(text="Flagged later, still failing.")
    Claim.objects.filter(pk=newer.pk).update(needs_review=True, review_reason="Another finding.")

    page = editor_client.get(QUEUE_URL).content.decode()
    only_back = editor_client.get(QUEUE_URL, {"recovered": "1"}).content.decode()
    not_back = editor_client.get(QUEUE_URL, {"recovered": "0"}).content.decode()

    assert "Source back:</strong> was gone on 2 checks; back since" in page
    assert page.index("Flagged later, still failing.") < page.index(claim.text[:40])  # recovered ones after
    assert claim.text[:40] in only_back and "Flagged later" not in only_back
    assert "Flagged later" in not_back and claim.text[:40] not in not_back


def test_a_source_that_fails_again_is_not_shown_as_back(pages: PageServer, fact_checker) -> None:
    claim, _back = gone_then_back(pages)
    pages.set("/story", status=404, body=b"<p>Not found</p>")
    source_check_now(source_id=claim.evidence.get().source_id)

    rows = token_client(fact_checker).get("/api/claims/", {"recovered": "true"}).json()["results"]

    assert rows == []
