"""The tracker's URLs plus ``/bench/bare/``: a page of claims with evidence from ``values()``, no DRF.

It is the floor a list read is measured against: the same rows (50 claims,
newest change first, and their evidence) with nothing but Django between
the database and the JSON.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from claims.models import Claim, Evidence

CLAIM_COLUMNS = ("id", "text", "status", "version", "needs_review", "updated_at", "claimant__name")
EVIDENCE_COLUMNS = ("id", "claim_id", "role", "quote", "source__name", "source__url")


def bare_page(request: HttpRequest) -> JsonResponse:
    claims = list(Claim.objects.filter(is_archived=False).order_by("-updated_at", "-id").values(*CLAIM_COLUMNS)[:50])
    evidence = Evidence.objects.filter(claim_id__in=[row["id"] for row in claims]).values(*EVIDENCE_COLUMNS)
    by_claim: dict[int, list] = {}
    for row in evidence:
        by_claim.setdefault(row["claim_id"], []).append(row)
    for row in claims:
        row["evidence"] = by_claim.get(row["id"], [])
    return JsonResponse({"results": claims})


urlpatterns = [path("bench/bare/", bare_page), path("", include("tracker.urls"))]
