"""The last-check summaries on sources and claims, kept current by the services that change them.

A page of claims shows each claim's latest finished re-check. Computing that per row
(a correlated subquery over checks and evidence) made every list read cost the
table, not the page, so the check service stores it on the source and the claim
when a check finishes, and the evidence services recompute one claim's summary
when its links change.
"""

from __future__ import annotations

from django.db.models import Subquery

from claims.models import Claim, Source, SourceCheck


def latest_check_of_claim(claim_id: int) -> Subquery:
    """The newest of the sources' last checks, as a subquery an UPDATE of the claim can use."""
    return Subquery(
        Source.objects.filter(evidence__claim_id=claim_id, last_check__isnull=False)
        .order_by("-last_check__finished_at", "-last_check_id")
        .values("last_check_id")[:1]
    )


def claims_record_last_check(*, check: SourceCheck) -> None:
    """Make a just-finished check the last one of every claim citing its source.

    A check finishes now, so it is newer than any other finished check of these claims.
    """
    Claim.objects.filter(evidence__source_id=check.source_id).update(last_check=check)


def source_record_last_check(*, check: SourceCheck) -> None:
    """Make a just-finished check the last one of its source and of the claims citing it."""
    Source.objects.filter(pk=check.source_id).update(last_check=check)
    claims_record_last_check(check=check)
