"""Reader pages: an article's "what we know", a claim with its history, an embeddable badge, the feed.

No view reads the session or the user: what a reader sees never depends on
who asks, so a CDN may keep it (claims/public/caching.py).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from claims.claimreview import claim_review, public_url
from claims.models import Claim
from claims.public import queries
from claims.public.caching import cacheable
from claims.public.feed import data_feed

HTML = "text/html; charset=utf-8"
# The status in words for readers, and a badge colour that keeps white text at 4.5:1 or better.
STATUS_WORDS = {
    Claim.Status.UNVERIFIED: ("Unverified", "Recorded; our desk has not reviewed it yet.", "#4b5563"),
    Claim.Status.UNCONFIRMED: ("Unconfirmed", "Reviewed; nobody independent has confirmed it.", "#92400e"),
    Claim.Status.CONFIRMED: ("Confirmed", "Confirmed by a source independent of the claimant.", "#166534"),
    Claim.Status.DISPUTED: ("Disputed", "Credible sources disagree.", "#6d28d9"),
    Claim.Status.FALSE: ("False", "Refuted by the evidence below.", "#b91c1c"),
}


def _jsonld(data: dict[str, Any]) -> str:
    # Safe inside <script>: no "</script>" or comment can be formed by the data.
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _claim_context(claim: Claim, request: HttpRequest) -> dict[str, Any]:
    label, meaning, colour = STATUS_WORDS[claim.status]
    page_url = public_url(reverse("public:claim", args=[claim.pk]), request)
    return {
        "claim": claim,
        "status_label": label,
        "status_meaning": meaning,
        "status_colour": colour,
        "page_url": page_url,
        "sources": list(claim.evidence.all()),
    }


def _page(template: str, context: dict[str, Any]) -> str:
    base = {"publisher_name": settings.CLAIMREVIEW_PUBLISHER_NAME, "language": settings.CLAIMREVIEW_LANGUAGE}
    return render_to_string(template, {**base, **context})


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    articles = list(queries.public_articles().order_by("-published_on", "-id")[:200])
    html = _page("public/index.html", {"articles": articles})
    newest = queries.published_claims().order_by("-updated_at").values_list("updated_at", flat=True).first()
    return cacheable(request, html, content_type=HTML, last_modified=newest)


@require_safe
def article_page(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(queries.public_articles().select_related("publisher"), pk=article_id)
    claims = list(queries.public_claims().filter(article=article).order_by("id"))
    html = _page(
        "public/article.html",
        {"article": article, "claims": [_claim_context(claim, request) for claim in claims]},
    )
    return cacheable(request, html, content_type=HTML, last_modified=queries.last_modified(claims))


def _published_claim(claim_id: int) -> Claim:
    return get_object_or_404(queries.public_claims(), pk=claim_id)


@require_safe
def claim_page(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _published_claim(claim_id)
    context = _claim_context(claim, request)
    review = claim_review(claim, page_url=context["page_url"], rationale=claim.public_rationale or "")
    embed_url = public_url(reverse("public:claim-embed", args=[claim.pk]), request)
    html = _page(
        "public/claim.html",
        {
            **context,
            "card": context,
            "history": list(queries.claim_history(claim)),
            "jsonld": _jsonld(review) if review else "",
            "embed_code": f'<iframe src="{embed_url}" title="Fact check: {context["status_label"]}" '
            f'width="360" height="140" style="border:0" loading="lazy"></iframe>',
        },
    )
    return cacheable(request, html, content_type=HTML, last_modified=queries.last_modified([claim]))


@require_safe
@xframe_options_exempt
def claim_embed(request: HttpRequest, claim_id: int) -> HttpResponse:
    """The badge an article embeds in an iframe: the claim's status now, linking to its page."""
    claim = _published_claim(claim_id)
    html = _page("public/embed.html", _claim_context(claim, request))
    return cacheable(request, html, content_type=HTML, last_modified=claim.updated_at)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"page must be a whole number from 1, got {raw!r}")
    return int(raw)


@require_safe
def feed(request: HttpRequest) -> HttpResponse:
    """Every published ClaimReview as a schema.org DataFeed, oldest first so pages stay put."""
    try:
        number = _page_number(request)
    except ValueError as exc:
        return JsonResponse({"errors": [{"field": "page", "message": str(exc)}]}, status=400)
    size = settings.PUBLIC_FEED_PAGE_SIZE
    rows = queries.public_claims().filter(status__in=queries.reviewed_statuses()).order_by("id")
    claims = list(rows[(number - 1) * size : number * size + 1])
    has_next = len(claims) > size
    claims = claims[:size]
    if number > 1 and not claims:
        raise Http404("No such feed page.")
    body, links = data_feed(request, claims, number=number, has_next=has_next)
    response = cacheable(request, body, content_type="application/ld+json", last_modified=queries.last_modified(claims))
    if links:
        response["Link"] = ", ".join(links)
    return response


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    claims = list(queries.published_claims().order_by("id").only("id", "updated_at"))
    articles = list(queries.public_articles().order_by("id").only("id", "created_at"))
    entries = [(public_url(reverse("public:claim", args=[c.pk]), request), c.updated_at) for c in claims]
    entries += [(public_url(reverse("public:article", args=[a.pk]), request), None) for a in articles]
    xml = render_to_string("public/sitemap.xml", {"entries": entries})
    newest = max((c.updated_at for c in claims), default=None)
    return cacheable(request, xml, content_type="application/xml; charset=utf-8", last_modified=newest)
