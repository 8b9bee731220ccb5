"""ClaimReview on the public pages and in the feed: valid JSON-LD, Google's properties, an honest rating.

Expansion uses pyld with schema.org's own context (release 30.0, vendored
under tests/public/vendor/, CC BY-SA 3.0) and a document loader that refuses
every other URL, so the test never touches the network.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from pyld import jsonld

from claims.claimreview import rating_for
from claims.services.publishing import claim_publish
from tests.factories import ClaimFactory
from tests.public.desk import PUBLIC_RATIONALE

pytestmark = pytest.mark.django_db

CONTEXT = json.loads((Path(__file__).parent / "vendor" / "schemaorg-30.0-context.jsonld").read_text())
SCHEMA = "http://schema.org/"  # the context's @vocab
# Google's ClaimReview documentation: required, then recommended properties.
GOOGLE_REQUIRED = {"claimReviewed", "reviewRating", "url"}
GOOGLE_RECOMMENDED = {"author", "datePublished", "itemReviewed"}
CLAIM_RECOMMENDED = {"appearance", "author", "datePublished", "firstAppearance"}


def offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}
    raise AssertionError(f"the JSON-LD test tried to load {url}")


def expand(document: dict[str, Any]) -> list[dict[str, Any]]:
    return jsonld.expand(document, {"documentLoader": offline_loader})


def terms(node: Any) -> set[str]:
    """Every property name used anywhere in a document."""
    if isinstance(node, list):
        return set().union(*(terms(item) for item in node)) if node else set()
    if isinstance(node, dict):
        own = {key for key in node if not key.startswith("@")}
        return own.union(*(terms(value) for value in node.values()))
    return set()


def iris(expanded: Any) -> set[str]:
    """Every property IRI in an expanded document (the same walk: keys that are not keywords)."""
    return terms(expanded)


def page_jsonld(client, claim_id: int) -> dict[str, Any]:
    page = client.get(f"/facts/claims/{claim_id}/").content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_the_claim_page_record_expands_to_schema_org_without_dropping_a_term(client, desk):
    review = page_jsonld(client, desk.published.pk)
    expanded = expand(review)
    assert expanded[0]["@type"] == [SCHEMA + "ClaimReview"]
    used = {SCHEMA + term for term in terms(review)}
    assert used <= iris(expanded), f"dropped by expansion: {sorted(used - iris(expanded))}"


def test_the_record_has_googles_required_and_recommended_properties(client, desk):
    review = page_jsonld(client, desk.published.pk)
    assert set(review) >= GOOGLE_REQUIRED | GOOGLE_RECOMMENDED
    assert review["url"] == f"https://facts.example/facts/claims/{desk.published.pk}/"
    assert review["reviewRating"]["alternateName"] == "Confirmed"
    assert (review["reviewRating"]["ratingValue"], review["reviewRating"]["bestRating"]) == (5, 5)
    assert review["reviewBody"] == PUBLIC_RATIONALE
    assert review["headline"].startswith("Confirmed: Ministry spokesperson said")
    assert review["inLanguage"] == "en"
    assert (
        review["author"]
        == review["publisher"]
        == {
            "@type": "Organization",
            "name": "The Desk",
            "url": "https://desk.example/",
            "logo": {"@type": "ImageObject", "url": "https://desk.example/logo.png"},
            "sameAs": ["https://www.wikidata.org/wiki/Q1"],
        }
    )
    item = review["itemReviewed"]
    assert set(item) >= CLAIM_RECOMMENDED
    assert item["author"]["name"] == "Ministry spokesperson"
    assert item["firstAppearance"]["url"] == "https://mod.example/statement"
    assert [work["url"] for work in item["appearance"]] == [
        "https://mod.example/statement",
        "https://news.example/hama",
    ]
    assert item["datePublished"] == "2024-12-04"
    assert review["datePublished"] <= review["dateModified"]


def test_the_claimant_s_same_as_is_published(client, desk):
    desk.published.claimant.same_as = "https://www.wikidata.org/wiki/Q3"
    desk.published.claimant.save()
    assert (
        page_jsonld(client, desk.published.pk)["itemReviewed"]["author"]["sameAs"] == "https://www.wikidata.org/wiki/Q3"
    )


@pytest.mark.parametrize("status", ["unconfirmed", "disputed"])
def test_undecided_claims_have_a_rating_in_words_and_no_number(client, desk, status):
    claim = claim_publish(claim_id=ClaimFactory(status=status, article=desk.published.article).pk, user=None)
    rating = page_jsonld(client, claim.pk)["reviewRating"]
    assert rating == {"@type": "Rating", "alternateName": status.capitalize()}
    assert not {SCHEMA + "ratingValue", SCHEMA + "bestRating"} & iris(expand(page_jsonld(client, claim.pk)))


def test_false_is_the_worst_rating(client, desk):
    claim = claim_publish(claim_id=ClaimFactory(status="false", article=desk.published.article).pk, user=None)
    rating = page_jsonld(client, claim.pk)["reviewRating"]
    assert (rating["ratingValue"], rating["worstRating"], rating["alternateName"]) == (1, 1, "False")


def test_the_mapping_is_configurable_and_checked(settings):
    settings.CLAIMREVIEW_PUBLISH_RATINGS = '{"disputed": {"name": "Contested", "value": 2}, "unverified": null}'
    assert (rating_for("disputed").name, rating_for("disputed").value) == ("Contested", 2)
    assert rating_for("unverified") is None
    for bad in ('{"maybe": null}', '{"false": {"name": "False", "value": 9}}', "not json", '{"false": {"value": 1}}'):
        settings.CLAIMREVIEW_PUBLISH_RATINGS = bad
        with pytest.raises(ImproperlyConfigured):
            rating_for("false")


def test_the_feed_is_a_paginated_datafeed_of_published_reviews(client, desk, settings):
    settings.PUBLIC_FEED_PAGE_SIZE = 1
    second = claim_publish(claim_id=ClaimFactory(status="false", article=desk.published.article).pk, user=None)
    first_page = client.get("/facts/feed.jsonld")
    assert first_page["Content-Type"] == "application/ld+json"
    assert "public" in first_page["Cache-Control"]
    feed = first_page.json()
    assert (feed["@type"], feed["publisher"]["name"]) == ("DataFeed", "The Desk")
    assert first_page["Link"] == '<https://facts.example/facts/feed.jsonld?page=2>; rel="next"'
    second_page = client.get("/facts/feed.jsonld?page=2").json()
    items = [element["item"][0] for element in (*feed["dataFeedElement"], *second_page["dataFeedElement"])]
    # The unverified (RTL) claim has no ClaimReview; the unpublished one is not public.
    assert [item["claimReviewed"] for item in items] == [desk.published.text, second.text]
    assert "next" not in second_page
    expanded = expand(feed)
    assert expanded[0]["@type"] == [SCHEMA + "DataFeed"]
    used = {SCHEMA + term for term in terms(feed)} - {SCHEMA + "next", SCHEMA + "previous"}
    assert used <= iris(expanded)


@pytest.mark.parametrize("page", ["0", "x", "-1", "1.5"])
def test_a_bad_feed_page_is_a_400_naming_the_field(client, desk, page):
    response = client.get(f"/facts/feed.jsonld?page={page}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "page"


def test_a_feed_page_past_the_end_is_not_found(client, desk):
    assert client.get("/facts/feed.jsonld?page=99").status_code == 404
