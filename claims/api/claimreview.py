"""ClaimReview in the API: a desk preview per claim, and the feed of published verdicts.

The record itself is built in ``claims/claimreview.py`` (shared with the
public pages); its ``url`` is the claim's public page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse as url_path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from claims.api.permissions import AllowedMethodsFirst, requires
from claims.claimreview import BEST_RATING, SCHEMA_ORG, public_url
from claims.claimreview import claim_review as build_claim_review
from claims.models import Claim, StatusChange


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


# JSON-LD by default; plain JSON for clients that ask for it.
RENDERERS = [JSONLDRenderer, JSONRenderer]


def _public_rationale(claim: Claim) -> str:
    if hasattr(claim, "public_rationale"):  # annotated by the feed's queryset
        return claim.public_rationale or ""
    latest = StatusChange.objects.filter(claim=claim).order_by("-changed_at", "-id").values("rationale").first()
    return latest["rationale"] if latest else ""


def claim_review(claim: Claim, request: Request) -> dict[str, Any]:
    """The claim's ClaimReview as it is (or would be, once published) on its public page."""
    review = None
    if not claim.is_archived:
        page_url = public_url(url_path("public:claim", args=[claim.pk]), request)
        review = build_claim_review(claim, page_url=page_url, rationale=_public_rationale(claim))
    if review is None:
        raise NotFound(
            f"Claim {claim.pk} has no ClaimReview: it is {claim.get_status_display().lower()}"
            f"{' and archived' if claim.is_archived else ''}."
        )
    return review


def _typed(type_name: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["@type", *required],
        "properties": {"@type": {"type": "string", "enum": [type_name]}, **properties},
    }


_URI = {"type": "string", "format": "uri"}
_NAMED = {"name": {"type": "string"}}
_ORGANIZATION = _typed(
    "Organization",
    {
        **_NAMED,
        "url": _URI,
        "logo": _typed("ImageObject", {"url": _URI}, ["url"]),
        "sameAs": {"type": "array", "items": _URI},
    },
    ["name"],
)
_AUTHOR = {
    "type": "object",
    "required": ["@type", "name"],
    "properties": {
        "@type": {"type": "string", "enum": ["Person", "Organization"]},
        "name": {"type": "string"},
        "sameAs": _URI,
        "affiliation": _typed("Organization", _NAMED, ["name"]),
    },
}
_WORK = _typed("CreativeWork", {**_NAMED, "url": _URI}, ["url"])
# Google's required properties (url, claimReviewed, reviewRating.alternateName) are required here too.
CLAIMREVIEW_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["@context", "@type", "url", "claimReviewed", "itemReviewed", "author", "reviewRating"],
    "properties": {
        "@context": {"type": "string", "enum": [SCHEMA_ORG]},
        "@type": {"type": "string", "enum": ["ClaimReview"]},
        "url": _URI,
        "headline": {"type": "string"},
        "claimReviewed": {"type": "string"},
        "reviewBody": {"type": "string"},
        "itemReviewed": _typed(
            "Claim",
            {
                "author": _AUTHOR,
                "firstAppearance": _WORK,
                "appearance": {"type": "array", "items": _WORK},
                "datePublished": {"type": "string", "format": "date"},
            },
            ["author"],
        ),
        "author": _ORGANIZATION,
        "publisher": _ORGANIZATION,
        "datePublished": {"type": "string", "format": "date-time"},
        "dateModified": {"type": "string", "format": "date-time"},
        "inLanguage": {"type": "string"},
        "reviewRating": _typed(
            "Rating",
            {
                "ratingValue": {"type": "integer", "minimum": BEST_RATING - 4, "maximum": BEST_RATING},
                "bestRating": {"type": "integer"},
                "worstRating": {"type": "integer"},
                "alternateName": {"type": "string"},
            },
            ["alternateName"],
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


class ClaimReviewFeedView(AllowedMethodsFirst, generics.GenericAPIView):
    """Every published verdict, newest change first, as a schema.org DataFeed of ClaimReviews."""

    permission_classes = [requires("claims.view_claim")]
    renderer_classes = RENDERERS
    filter_backends: list = []
    keyset_orderings = {"updated_at": "updated_at", "id": "id"}
    keyset_default = "-updated_at"

    def get_queryset(self) -> Any:
        from claims.api.queries import claim_with_evidence_queryset
        from claims.public.queries import latest_public_rationale, reviewed_statuses

        return (
            claim_with_evidence_queryset()
            .filter(is_published=True, is_archived=False, status__in=reviewed_statuses())
            .annotate(public_rationale=latest_public_rationale())
        )

    @extend_schema(
        summary="Published verdicts as a schema.org DataFeed of ClaimReview (JSON-LD)",
        description="Published claims whose status gets a ClaimReview (docs/publishing.md), not archived. "
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
