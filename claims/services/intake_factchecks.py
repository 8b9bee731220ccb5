"""External fact-checks: importing schema.org ClaimReview files, and finding those that match a claim."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from claims.intake.claimreview import ClaimReviewError, ReviewItem, map_rating, parse
from claims.intake.similarity import content_words, likeness
from claims.models import ExternalFactCheck


@dataclass
class ImportResult:
    created: int = 0
    existing: int = 0


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _status(item: ReviewItem) -> str:
    return map_rating(
        item,
        settings.CLAIMREVIEW_RATING_MAP,
        false_below=settings.CLAIMREVIEW_NUMERIC_FALSE_BELOW,
        true_from=settings.CLAIMREVIEW_NUMERIC_TRUE_FROM,
    )


@transaction.atomic
def factchecks_import(*, data: bytes | str, user: AbstractBaseUser | None) -> ImportResult:
    """Store the file's ClaimReview items as external fact-checks; items already imported are skipped.

    All or nothing: a bad file (not JSON, an item without ``claimReviewed``)
    raises ValidationError on ``file`` and stores nothing.
    """
    try:
        items = parse(data)
    except ClaimReviewError as exc:
        raise ValidationError({"file": str(exc)}) from None
    result = ImportResult()
    for item in items:
        _, created = ExternalFactCheck.objects.get_or_create(
            fingerprint=item.fingerprint,
            defaults={
                "claim_reviewed": item.claim_reviewed,
                "review_url": item.review_url,
                "publisher": item.publisher,
                "claimant": item.claimant,
                "rating_label": item.rating_label,
                "rating_value": item.rating_value,
                "best_rating": item.best_rating,
                "worst_rating": item.worst_rating,
                "mapped_status": _status(item),
                "published_on": _date(item.published_on),
                "language": item.language,
                "raw": item.raw,
                "imported_by": user if user is not None and user.is_authenticated else None,
            },
        )
        if created:
            result.created += 1
        else:
            result.existing += 1
    return result


def factchecks_matching(*, text: str, limit: int = 5) -> list[tuple[ExternalFactCheck, float]]:
    """External fact-checks of a claim like ``text`` (same likeness rules as twins), best first."""
    longest = sorted(content_words(text), key=len, reverse=True)[:4]
    if not longest:
        return []
    query = Q()
    for word in longest:
        query |= Q(claim_reviewed__icontains=word)
    found = []
    for check in ExternalFactCheck.objects.filter(query).order_by("-id")[:300]:
        score = likeness(text, check.claim_reviewed).score
        if score >= settings.INTAKE_TWIN_SUGGEST:
            found.append((check, score))
    found.sort(key=lambda pair: (-pair[1], -pair[0].pk))
    return found[:limit]
