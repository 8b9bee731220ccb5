"""Review flags: raised by re-checks, cleared by people."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims.models import Claim, SourceCheck


def claim_flag_for_review(*, claim_id: int, reason: str, check: SourceCheck | None = None) -> bool:
    """Flag a claim for a person's review. Never touches the status.

    Returns False when the claim already carries this exact reason (a repeated
    check finding the same thing flags nothing twice).
    """
    now = timezone.now()
    with transaction.atomic():
        updated = (
            Claim.objects.filter(pk=claim_id)
            .exclude(needs_review=True, review_reason=reason)
            .update(
                needs_review=True,
                review_reason=reason,
                review_flagged_at=now,
                review_check=check,
                version=F("version") + 1,
                updated_at=now,
            )
        )
    return updated == 1


def claim_mark_reviewed(*, claim_id: int, expected_version: int | None = None) -> bool:
    """Clear the review flag after a person looked at the claim."""
    qs = Claim.objects.filter(pk=claim_id, needs_review=True)
    if expected_version is not None:
        qs = qs.filter(version=expected_version)
    now = timezone.now()
    return (
        qs.update(
            needs_review=False,
            review_reason="",
            review_flagged_at=None,
            review_check=None,
            version=F("version") + 1,
            updated_at=now,
        )
        == 1
    )
