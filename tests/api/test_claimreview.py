"""ClaimReview in the API: a desk preview per claim and the feed of published verdicts (tests/public has the rest)."""

from __future__ import annotations

from datetime import date

import pytest

from claims.models import Claim
from tests.api.conftest import etag_of
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory

pytestmark = pytest.mark.django_db


def confirm(client, claim, source) -> None:  # type: ignore[no-untyped-def]
    etag = client.post(
        f"/api/claims/{claim.pk}/evidence/",
        {"source": source.pk, "role": "supports"},
        HTTP_IF_MATCH=etag_of(client, claim.pk),
    )["ETag"]
    response = client.post(
        f"/api/claims/{claim.pk}/status/", {"status": "confirmed", "rationale": "Agency."}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200


def test_a_confirmed_claim_has_a_claimreview(checker_api, claim, independent_source, settings):
    settings.CLAIMREVIEW_PUBLISHER_NAME = "The Desk"
    claim.article.published_on = date(2024, 12, 4)
    claim.article.save()
    confirm(checker_api, claim, independent_source)
    response = checker_api.get(f"/api/claims/{claim.pk}/claimreview/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    review = response.json()
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "We captured five fighters near the bridge."
    # The public page, which answers once an editor publishes the claim.
    assert review["url"] == f"http://testserver/facts/claims/{claim.pk}/"
    assert review["author"] == {"@type": "Organization", "name": "The Desk"}
    assert review["reviewBody"] == "Agency."
    assert review["datePublished"] == Claim.objects.get(pk=claim.pk).status_changed_at.isoformat()
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Confirmed",
    }
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "author": {
            "@type": "Person",
            "name": "Ministry spokesperson",
            "affiliation": {"@type": "Organization", "name": "Ministry of Defence"},
        },
        "firstAppearance": {
            "@type": "CreativeWork",
            "name": "Ministry statement",
            "url": "https://mod.example/statement",
        },
        "appearance": [{"@type": "CreativeWork", "name": "Ministry statement", "url": "https://mod.example/statement"}],
        "datePublished": "2024-12-04",
    }


def test_plain_json_is_served_on_request(viewer_api):
    claim = ClaimFactory(status="disputed")
    response = viewer_api.get(f"/api/claims/{claim.pk}/claimreview/", HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    assert response.json()["reviewRating"]["alternateName"] == "Disputed"


@pytest.mark.parametrize(
    ("status", "value", "name"),
    [("false", 1, "False"), ("disputed", None, "Disputed"), ("unconfirmed", None, "Unconfirmed")],
)
def test_each_verdict_maps_to_a_rating(viewer_api, status, value, name):
    # Undecided claims carry their status in words only: no number a machine would read as a verdict.
    claim = ClaimFactory(status=status)
    rating = viewer_api.get(f"/api/claims/{claim.pk}/claimreview/").json()["reviewRating"]
    assert (rating.get("ratingValue"), rating["alternateName"]) == (value, name)


def test_an_organisation_claimant_without_appearances(viewer_api):
    claim = ClaimFactory(status="false")
    EvidenceFactory(claim=claim, source=SourceFactory(), role="refutes")
    item = viewer_api.get(f"/api/claims/{claim.pk}/claimreview/").json()["itemReviewed"]
    # The factory's article has no URL: there is no appearance to name.
    assert item == {"@type": "Claim", "author": {"@type": "Organization", "name": claim.claimant.name}}


def test_unverified_and_archived_claims_are_not_published(viewer_api, claim):
    archived = ClaimFactory(status="confirmed", is_archived=True)
    for pk in (claim.pk, archived.pk):
        response = viewer_api.get(f"/api/claims/{pk}/claimreview/")
        assert response.status_code == 404
        assert "has no ClaimReview" in response.json()["errors"][0]["message"]


def test_the_feed_lists_published_reviewed_claims_only(viewer_api, claim):
    published = [ClaimFactory(status=s, is_published=True) for s in ("unconfirmed", "confirmed", "disputed", "false")]
    ClaimFactory(status="false", is_archived=True, is_published=True)
    ClaimFactory(status="false")  # reviewed, not published
    ClaimFactory(status="unverified", is_published=True)  # published, no ClaimReview
    response = viewer_api.get("/api/claimreview/?page_size=3")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    feed = response.json()
    assert (feed["@context"], feed["@type"]) == ("https://schema.org", "DataFeed")
    reviewed = [e["claimReviewed"] for e in feed["dataFeedElement"]]
    reviewed += [e["claimReviewed"] for e in viewer_api.get(feed["next"]).json()["dataFeedElement"]]
    assert sorted(reviewed) == sorted(c.text for c in published)
    assert all(e["@type"] == "ClaimReview" for e in feed["dataFeedElement"])
