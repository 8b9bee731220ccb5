"""Review flags: raised by re-checks, cleared by people."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims.models import AlertEvent, Claim, Evidence, Source, SourceCheck
from claims.services.alerts import alert_record


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
        if updated == 1:
            gone = check is not None and check.outcome == Source.Outcome.GONE
            alert_record(
                kind=AlertEvent.Kind.SOURCE_GONE if gone else AlertEvent.Kind.FLAGGED,
                claim_id=claim_id,
                source_id=check.source_id if check is not None else None,
                reason=reason,
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


_CAME_BACK_FROM = {
    Source.Outcome.GONE: "gone",
    Source.Outcome.MOVED: "moved to another site",
    Source.Outcome.ERROR: "unreadable",
    Source.Outcome.BLOCKED: "blocked",
    Source.Outcome.TOO_SLOW: "too slow",
    Source.Outcome.TOO_LARGE: "too large to check",
}
_QUOTE_NOW = {
    Evidence.QuoteState.INTACT: "quote intact",
    Evidence.QuoteState.EDITED: "quote edited",
    Evidence.QuoteState.MISSING: "quote no longer found",
    Evidence.QuoteState.UNCHECKED: "quote not checked yet",
}


def claim_recovery_notes(*, claim_ids: Iterable[int]) -> dict[int, str]:
    """For flagged claims whose failing source has come back, what the desk should read now.

    E.g. "was gone on 2 checks; back since 2026-12-08 03:58 UTC, quote intact". The flag
    itself stays until a person clears it; claims with nothing to say are left out.
    """
    pairs = dict(
        Claim.objects.filter(pk__in=list(claim_ids), needs_review=True)
        .with_recovery()
        .filter(recovery_check_id__isnull=False)
        .values_list("pk", "recovery_check_id")
    )
    if not pairs:
        return {}
    checks = SourceCheck.objects.in_bulk(set(pairs.values()))
    quotes: dict[tuple[int, int], str] = {}
    for claim_id, source_id, quote, state in (
        Evidence.objects.filter(claim_id__in=pairs, source_id__in={c.source_id for c in checks.values()})
        .order_by("id")
        .values_list("claim_id", "source_id", "quote", "quote_state")
    ):
        if quote.strip():
            quotes.setdefault((claim_id, source_id), _QUOTE_NOW.get(state, f"quote {state}"))
    notes = {}
    for claim_id, check_id in pairs.items():
        check = checks[check_id]
        runs = check.recovered_after or 1
        since = check.finished_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if check.finished_at else "now"
        quote = quotes.get((claim_id, check.source_id), "no quote recorded")
        what = _CAME_BACK_FROM.get(check.recovered_from, check.recovered_from)
        notes[claim_id] = f"was {what} on {runs} check{'s' if runs != 1 else ''}; back since {since}, {quote}"
    return notes
