"""Published verdicts as schema.org ClaimReview (JSON-LD), the format fact-check aggregators read.

The mapping from our statuses to a rating lives here and only here.
``unverified`` claims have no verdict, and archived ones are withdrawn, so
neither is published.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from claims.api.permissions import requires
from claims.models import Claim, Claimant, Evidence

SCHEMA_ORG = "https://schema.org"
BEST_RATING, WORST_RATING = 5, 1
# status -> (ratingValue, alternateName): 1 is the worst verdict for the claim, 5 the best.
RATINGS: dict[str, tuple[int, str]] = {
    Claim.Status.FALSE: (1, "False"),
    Claim.Status.DISPUTED: (2, "Disputed"),
    Claim.Status.UNCONFIRMED: (3, "Unconfirmed"),
    Claim.Status.CONFIRMED: (5, "Confirmed"),
}
PUBLISHED_STATUSES = list(RATINGS)


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


# JSON-LD by default; plain JSON for clients that ask for it.
RENDERERS = [JSONLDRenderer, JSONRenderer]


def _author(claimant: Claimant) -> dict[str, Any]:
    if claimant.kind == Claimant.Kind.PERSON:
        author: dict[str, Any] = {"@type": "Person", "name": claimant.name}
        if claimant.organisation is not None:
            author["affiliation"] = {"@type": "Organization", "name": claimant.organisation.name}
        return author
    return {"@type": "Organization", "name": claimant.name}


def _appearance(claim: Claim) -> list[dict[str, str]]:
    # Where the claim was made (role "made"), as the prefetched evidence has it.
    works = []
    for link in claim.evidence.all():
        if link.role == Evidence.Role.MADE:
            work = {"@type": "CreativeWork", "name": link.source.name}
            if link.source.url:
                work["url"] = link.source.url
            works.append(work)
    return works


def claim_review(claim: Claim, request: Request) -> dict[str, Any]:
    """The ClaimReview of one claim; NotFound when it has no publishable verdict."""
    if claim.status not in RATINGS or claim.is_archived:
        raise NotFound(
            f"Claim {claim.pk} has no published verdict: it is {claim.get_status_display().lower()}"
            f"{' and archived' if claim.is_archived else ''}."
        )
    value, name = RATINGS[claim.status]
    item: dict[str, Any] = {"@type": "Claim", "author": _author(claim.claimant)}
    appearance = _appearance(claim)
    if appearance:
        item["appearance"] = appearance
    if claim.article is not None and claim.article.published_on is not None:
        item["datePublished"] = claim.article.published_on.isoformat()
    return {
        "@context": SCHEMA_ORG,
        "@type": "ClaimReview",
        "url": reverse("api:claim-detail", kwargs={"pk": claim.pk}, request=request),
        "claimReviewed": claim.text,
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": settings.CLAIMREVIEW_PUBLISHER_NAME},
        "datePublished": claim.status_changed_at.date().isoformat(),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": name,
        },
    }


def _typed(type_name: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["@type", *required],
        "properties": {"@type": {"type": "string", "enum": [type_name]}, **properties},
    }


_NAMED = {"name": {"type": "string"}}
_AUTHOR = {
    "type": "object",
    "required": ["@type", "name"],
    "properties": {
        "@type": {"type": "string", "enum": ["Person", "Organization"]},
        "name": {"type": "string"},
        "affiliation": _typed("Organization", _NAMED, ["name"]),
    },
}
CLAIMREVIEW_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "@context",
        "@type",
        "url",
        "claimReviewed",
        "itemReviewed",
        "author",
        "datePublished",
        "reviewRating",
    ],
    "properties": {
        "@context": {"type": "string", "enum": [SCHEMA_ORG]},
        "@type": {"type": "string", "enum": ["ClaimReview"]},
        "url": {"type": "string", "format": "uri"},
        "claimReviewed": {"type": "string"},
        "itemReviewed": _typed(
            "Claim",
            {
                "author": _AUTHOR,
                "appearance": {
                    "type": "array",
                    "items": _typed("CreativeWork", {**_NAMED, "url": {"type": "string", "format": "uri"}}, ["name"]),
                },
                "datePublished": {"type": "string", "format": "date"},
            },
            ["author"],
        ),
        "author": _typed("Organization", _NAMED, ["name"]),
        "datePublished": {"type": "string", "format": "date"},
        "reviewRating": _typed(
            "Rating",
            {
                "ratingValue": {"type": "integer", "minimum": WORST_RATING, "maximum": BEST_RATING},
                "bestRating": {"type": "integer"},
                "worstRating": {"type": "integer"},
                "alternateName": {"type": "string", "enum": [name for _, name in RATINGS.values()]},
            },
            ["ratingValue", "bestRating", "worstRating", "alternateName"],
        ),
    },
}
_LINK = {"type": "string", "format": "uri", "nullable": True}
FEED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["@context", "@type", "name", "dataFeedElement", "next", "previous"],
    "properties": {
        "@context": {"type": "string", "enum": [SCHEMA_ORG]},
        "@type": {"type": "string", "enum": ["DataFeed"]},
        "name": {"type": "string"},
        "dataFeedElement": {"type": "array", "items": CLAIMREVIEW_SCHEMA},
        "next": _LINK,
        "previous": _LINK,
    },
}


class ClaimReviewFeedView(generics.GenericAPIView):
    """Every published verdict, newest change first, as a schema.org DataFeed of ClaimReviews."""

    permission_classes = [requires("claims.view_claim")]
    renderer_classes = RENDERERS
    filter_backends: list = []
    keyset_orderings = {"updated_at": "updated_at", "id": "id"}
    keyset_default = "-updated_at"

    def get_queryset(self) -> Any:
        from claims.api.queries import claim_with_evidence_queryset

        return claim_with_evidence_queryset().filter(status__in=PUBLISHED_STATUSES, is_archived=False)

    @extend_schema(
        summary="Published verdicts as a schema.org DataFeed of ClaimReview (JSON-LD)",
        description="Claims that are unconfirmed, confirmed, disputed or false, and not archived. "
        "`next`/`previous` page through the feed (not schema.org terms).",
        parameters=[
            OpenApiParameter("cursor", str, description="Position from a previous page's next/previous link."),
            OpenApiParameter("page_size", int, description="Rows per page (default 50, capped at 100)."),
            OpenApiParameter("ordering", str, enum=["updated_at", "-updated_at", "id", "-id"]),
        ],
        responses={200: FEED_SCHEMA},
    )
    def get(self, request: Request) -> Response:
        paginator = self.paginator
        assert paginator is not None
        claims = paginator.paginate_queryset(self.get_queryset(), request, view=self)
        return Response(
            {
                "@context": SCHEMA_ORG,
                "@type": "DataFeed",
                "name": f"{settings.CLAIMREVIEW_PUBLISHER_NAME}: claim reviews",
                "dataFeedElement": [claim_review(claim, request) for claim in claims],
                "next": paginator.get_next_link(),  # type: ignore[attr-defined]
                "previous": paginator.get_previous_link(),  # type: ignore[attr-defined]
            }
        )
