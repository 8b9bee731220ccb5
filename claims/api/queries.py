"""The read querysets behind the API: a fixed number of queries whatever the page size."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from claims.models import Claim, Evidence, SourceCheck


def _last_check(column: str) -> Subquery:
    # The latest finished re-check of any of the claim's sources.
    return Subquery(
        SourceCheck.objects.filter(source__evidence__claim=OuterRef("pk"), state=SourceCheck.State.DONE)
        .order_by("-finished_at", "-id")
        .values(column)[:1]
    )


def evidence_queryset() -> QuerySet[Evidence]:
    return Evidence.objects.select_related("source", "source__publisher").order_by("id")


def claim_detail_queryset() -> QuerySet[Claim]:
    """Claims with everything the claim representation embeds: two queries per page."""
    return (
        Claim.objects.select_related("claimant", "claimant__organisation", "article")
        .prefetch_related(Prefetch("evidence", queryset=evidence_queryset()))
        .annotate(
            last_check_id=_last_check("id"),
            last_check_outcome=_last_check("outcome"),
            last_check_reason=_last_check("reason"),
            last_check_finished_at=_last_check("finished_at"),
        )
    )
