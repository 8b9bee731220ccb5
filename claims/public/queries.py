"""Reads for the public pages: published, unarchived claims and only their public fields."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from claims.claimreview import rating_for
from claims.models import Article, Claim, Evidence, Source, SourceCheck, StatusChange

# Outcomes that mean the source no longer says what it said when we judged the claim.
SOURCE_MOVED_ON = [Source.Outcome.CHANGED, Source.Outcome.GONE, Source.Outcome.MOVED]


def published_claims() -> QuerySet[Claim]:
    return Claim.objects.filter(is_published=True, is_archived=False)


def _evidence() -> QuerySet[Evidence]:
    changed_since_verdict = SourceCheck.objects.filter(
        source=OuterRef("source_id"),
        state=SourceCheck.State.DONE,
        outcome__in=SOURCE_MOVED_ON,
        finished_at__gt=OuterRef("claim__status_changed_at"),
    )
    return (
        Evidence.objects.select_related("source", "source__publisher")
        .annotate(source_changed=Exists(changed_since_verdict))
        .order_by("id")
    )


def latest_public_rationale() -> Subquery:
    """The public rationale of a claim's latest status change, for ``annotate``."""
    return Subquery(
        StatusChange.objects.filter(claim=OuterRef("pk")).order_by("-changed_at", "-id").values("rationale")[:1]
    )


def public_claims() -> QuerySet[Claim]:
    """Published claims with what their pages show, in a fixed number of queries."""
    return (
        published_claims()
        .select_related("claimant", "claimant__organisation", "article", "article__publisher")
        .prefetch_related(Prefetch("evidence", queryset=_evidence()))
        .annotate(public_rationale=latest_public_rationale())
    )


def claim_history(claim: Claim) -> QuerySet[StatusChange]:
    """The public part of a claim's history: when, from, to and the public rationale."""
    return claim.history.order_by("-changed_at", "-id").only(
        "changed_at", "from_status", "to_status", "rationale", "claim_id"
    )


def public_articles() -> QuerySet[Article]:
    """Articles that have at least one published claim."""
    return Article.objects.filter(Exists(published_claims().filter(article=OuterRef("pk"))), is_archived=False)


def reviewed_statuses() -> list[str]:
    """Statuses that get a ClaimReview under the configured rating mapping."""
    return [status for status in Claim.Status.values if rating_for(status) is not None]


def last_modified(claims: list[Claim]) -> datetime | None:
    """The latest change any of these claims' pages shows: the claim itself, its sources' checks."""
    stamps: list[datetime] = []
    for claim in claims:
        stamps.append(claim.updated_at)
        for link in claim.evidence.all():
            stamps.append(link.added_at)
            if link.source.last_checked_at:
                stamps.append(link.source.last_checked_at)
    return max(stamps, default=None)
