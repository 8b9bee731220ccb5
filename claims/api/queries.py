"""The read querysets behind the API: a fixed number of queries whatever the page size."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from claims.models import Claim, Evidence


def evidence_queryset() -> QuerySet[Evidence]:
    return Evidence.objects.select_related("source", "source__publisher").order_by("id")


def claim_detail_queryset() -> QuerySet[Claim]:
    """Claims with the rows the claim representation embeds, in one query (its evidence is a second).

    The last check is a column kept by the services (claims/services/check_summary.py), so a
    page costs a join per row rather than a subquery over checks and evidence. ``with_recovery``
    runs its subquery only for flagged claims (a CASE), and tells claim_rows which claims
    need a recovery note, so a page without one costs no query for notes.
    """
    return Claim.objects.select_related("claimant", "claimant__organisation", "article", "last_check").with_recovery()


def claim_with_evidence_queryset() -> QuerySet[Claim]:
    """Claims as above with their evidence as model instances (for code that walks ``claim.evidence``)."""
    return claim_detail_queryset().prefetch_related(Prefetch("evidence", queryset=evidence_queryset()))
