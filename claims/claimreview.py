"""Verdicts as schema.org ClaimReview (JSON-LD): one builder for the public pages, the feed and the API.

The status -> rating mapping is configurable (``CLAIMREVIEW_PUBLISH_RATINGS``, a JSON
object merged over ``DEFAULT_RATINGS``) and honest by default: only
``confirmed`` and ``false`` carry a number. A number on Google's 1-5 scale is
read by machines as a verdict (3 is "half true"), and an undecided claim has
none: ``unconfirmed`` and ``disputed`` are published with their status in
words (``alternateName``, the textual rating Google requires) and no
``ratingValue``. ``unverified`` gets no ClaimReview at all: nobody has
reviewed it yet, and a ClaimReview says a review happened. docs/publishing.md
has the reasoning and an example record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils.text import Truncator

from claims.models import Claim, Claimant, Evidence

SCHEMA_ORG = "https://schema.org"
BEST_RATING, WORST_RATING = 5, 1
HEADLINE_MAX = 110  # what Google shows of a headline

DEFAULT_RATINGS: dict[str, dict[str, Any] | None] = {
    Claim.Status.UNVERIFIED: None,
    Claim.Status.UNCONFIRMED: {"name": "Unconfirmed", "value": None},
    Claim.Status.DISPUTED: {"name": "Disputed", "value": None},
    Claim.Status.CONFIRMED: {"name": "Confirmed", "value": 5},
    Claim.Status.FALSE: {"name": "False", "value": 1},
}


@dataclass(frozen=True)
class Rating:
    name: str
    value: int | None


@lru_cache(maxsize=8)
def _parse_ratings(raw: str) -> dict[str, Rating | None]:
    merged: dict[str, Any] = dict(DEFAULT_RATINGS)
    if raw:
        try:
            override = json.loads(raw)
        except ValueError as exc:
            raise ImproperlyConfigured(f"CLAIMREVIEW_PUBLISH_RATINGS is not valid JSON: {exc}") from None
        if not isinstance(override, dict) or set(override) - set(Claim.Status.values):
            raise ImproperlyConfigured(f"CLAIMREVIEW_PUBLISH_RATINGS must be an object keyed by {Claim.Status.values}")
        merged.update(override)
    ratings: dict[str, Rating | None] = {}
    for status, entry in merged.items():
        if entry is None:
            ratings[status] = None
            continue
        value = entry.get("value") if isinstance(entry, dict) else "?"
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise ImproperlyConfigured(f"CLAIMREVIEW_PUBLISH_RATINGS[{status!r}] needs a non-empty name")
        if value is not None and (not isinstance(value, int) or not WORST_RATING <= value <= BEST_RATING):
            raise ImproperlyConfigured(f"CLAIMREVIEW_PUBLISH_RATINGS[{status!r}] value must be null or 1-5")
        ratings[status] = Rating(name=name.strip(), value=value)
    return ratings


def rating_for(status: str) -> Rating | None:
    """The published rating of a status, or None when it gets no ClaimReview."""
    return _parse_ratings(settings.CLAIMREVIEW_PUBLISH_RATINGS).get(status)


def public_url(path: str, request: HttpRequest | None = None) -> str:
    """An absolute URL on the public site: PUBLIC_BASE_URL, else the request's own host."""
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL + path
    if request is None:
        raise ImproperlyConfigured("PUBLIC_BASE_URL is needed to build public URLs outside a request")
    return request.build_absolute_uri(path)


def publisher() -> dict[str, Any]:
    """The desk as schema.org Organization: author and publisher of every review."""
    org: dict[str, Any] = {"@type": "Organization", "name": settings.CLAIMREVIEW_PUBLISHER_NAME}
    if settings.CLAIMREVIEW_PUBLISHER_URL:
        org["url"] = settings.CLAIMREVIEW_PUBLISHER_URL
    if settings.CLAIMREVIEW_PUBLISHER_LOGO:
        org["logo"] = {"@type": "ImageObject", "url": settings.CLAIMREVIEW_PUBLISHER_LOGO}
    if settings.CLAIMREVIEW_PUBLISHER_SAME_AS:
        org["sameAs"] = list(settings.CLAIMREVIEW_PUBLISHER_SAME_AS)
    return org


def _claim_author(claimant: Claimant) -> dict[str, Any]:
    kind = "Person" if claimant.kind == Claimant.Kind.PERSON else "Organization"
    author: dict[str, Any] = {"@type": kind, "name": claimant.name}
    if claimant.same_as:
        author["sameAs"] = claimant.same_as
    if kind == "Person" and claimant.organisation is not None:
        author["affiliation"] = {"@type": "Organization", "name": claimant.organisation.name}
    return author


def _appearances(claim: Claim) -> list[dict[str, str]]:
    """Where the claim was made, first recorded first: its "made" sources with URLs, then the article."""
    works: list[dict[str, str]] = []
    seen: set[str] = set()
    for link in claim.evidence.all():  # prefetched in id order
        if link.role == Evidence.Role.MADE and link.source.url and link.source.url not in seen:
            seen.add(link.source.url)
            works.append({"@type": "CreativeWork", "url": link.source.url, "name": link.source.name})
    article = claim.article
    if article is not None and article.url and article.url not in seen:
        works.append({"@type": "CreativeWork", "url": article.url, "name": article.title})
    return works


def _item_reviewed(claim: Claim) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Claim", "author": _claim_author(claim.claimant)}
    appearances = _appearances(claim)
    if appearances:
        item["firstAppearance"] = appearances[0]
        item["appearance"] = appearances
    if claim.article is not None and claim.article.published_on is not None:
        item["datePublished"] = claim.article.published_on.isoformat()
    return item


def _review_rating(rating: Rating) -> dict[str, Any]:
    if rating.value is None:
        # A textual rating only: nothing a machine could average into a verdict.
        return {"@type": "Rating", "alternateName": rating.name}
    return {
        "@type": "Rating",
        "ratingValue": rating.value,
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": rating.name,
    }


def claim_review(claim: Claim, *, page_url: str, rationale: str) -> dict[str, Any] | None:
    """The ClaimReview of one claim, or None when its status gets none (unverified by default).

    ``claim`` comes with claimant (and organisation), article and evidence
    with sources loaded; ``rationale`` is the public rationale of its latest
    status change.
    """
    rating = rating_for(claim.status)
    if rating is None:
        return None
    published = claim.published_at or claim.status_changed_at
    modified = max(published, claim.status_changed_at)
    headline = Truncator(f"{rating.name}: {claim.claimant.name} said “{claim.text}”").chars(HEADLINE_MAX)
    review: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "ClaimReview",
        "url": page_url,
        "headline": headline,
        "claimReviewed": claim.text,
        "reviewBody": rationale,
        "itemReviewed": _item_reviewed(claim),
        "author": publisher(),
        "publisher": publisher(),
        "datePublished": published.isoformat(),
        "dateModified": modified.isoformat(),
        "inLanguage": settings.CLAIMREVIEW_LANGUAGE,
        "reviewRating": _review_rating(rating),
    }
    return review
