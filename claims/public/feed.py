"""The public ClaimReview feed as a schema.org DataFeed (the shape Data Commons feeds use)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from claims.claimreview import SCHEMA_ORG, claim_review, public_url, publisher
from claims.models import Claim


def _item(claim: Claim, request: HttpRequest) -> dict[str, Any] | None:
    page_url = public_url(reverse("public:claim", args=[claim.pk]), request)
    review = claim_review(claim, page_url=page_url, rationale=claim.public_rationale or "")
    if review is None:
        return None
    review.pop("@context")
    return {
        "@type": "DataFeedItem",
        "dateCreated": review["datePublished"],
        "dateModified": review["dateModified"],
        "item": [review],
    }


def data_feed(request: HttpRequest, claims: list[Claim], *, number: int, has_next: bool) -> tuple[str, list[str]]:
    """The JSON-LD text of one feed page, and its Link header values (next, prev)."""
    base = reverse("public:feed")
    feed_url = public_url(base if number == 1 else f"{base}?page={number}", request)
    links: list[str] = []
    document: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "DataFeed",
        "name": f"{settings.CLAIMREVIEW_PUBLISHER_NAME}: fact checks",
        "url": feed_url,
        "publisher": publisher(),
        "inLanguage": settings.CLAIMREVIEW_LANGUAGE,
        "dataFeedElement": [item for item in (_item(claim, request) for claim in claims) if item],
    }
    # Paging is not a schema.org term: the Link header carries it, and these keys
    # (dropped by JSON-LD expansion) repeat it for readers that only see the body.
    if has_next:
        document["next"] = public_url(f"{base}?page={number + 1}", request)
        links.append(f'<{document["next"]}>; rel="next"')
    if number > 1:
        document["previous"] = public_url(f"{base}?page={number - 1}", request)
        links.append(f'<{document["previous"]}>; rel="prev"')
    return json.dumps(document, ensure_ascii=False), links
