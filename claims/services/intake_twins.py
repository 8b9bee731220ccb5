"""Duplicate claims: finding likely twins of a text, and linking twins so a verdict on one shows on the other."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from claims.intake.similarity import content_words, is_short, likeness
from claims.models import Claim, ClaimTwin

CANDIDATES = 300  # claims compared per search, those sharing the text's rarest-looking words first


@dataclass(frozen=True)
class TwinSuggestion:
    claim: Claim
    score: float
    reason: str
    auto: bool  # strong enough to link without asking


def _candidates(text: str, exclude_id: int | None) -> list[Claim]:
    # The longest words are the most telling ("Alkharboutli", "counteroffensive"); a claim
    # sharing none of them cannot score high, so only those are compared.
    longest = sorted(content_words(text), key=len, reverse=True)[:4]
    if not longest:
        return []
    query = Q()
    for word in longest:
        query |= Q(text__icontains=word)
    claims = Claim.objects.filter(query, is_archived=False).select_related("claimant")
    if exclude_id is not None:
        claims = claims.exclude(pk=exclude_id)
    return list(claims.order_by("-id")[:CANDIDATES])


def claim_twins_suggest(*, text: str, exclude_claim_id: int | None = None, limit: int = 5) -> list[TwinSuggestion]:
    """Existing claims that likely say the same as ``text``, best first.

    A negation on one side only, different figures or different places rule a
    pair out; short texts are only ever suggested, never auto-linked.
    """
    short = is_short(text, settings.INTAKE_TWIN_MIN_WORDS)
    found = []
    for claim in _candidates(text, exclude_claim_id):
        alike = likeness(text, claim.text)
        if alike.score < settings.INTAKE_TWIN_SUGGEST:
            continue
        auto = (
            alike.score >= settings.INTAKE_TWIN_AUTOLINK
            and not short
            and not is_short(claim.text, settings.INTAKE_TWIN_MIN_WORDS)
        )
        found.append(TwinSuggestion(claim=claim, score=alike.score, reason=alike.reason, auto=auto))
    found.sort(key=lambda s: (-s.score, -s.claim.pk))
    return found[:limit]


@transaction.atomic
def claim_twin_link(
    *, claim_id: int, twin_id: int, user: AbstractBaseUser | None, kind: str = ClaimTwin.Kind.EDITOR, score: float = 0.0
) -> ClaimTwin:
    """Link two claims as twins (idempotent: linking them again returns the existing link)."""
    if claim_id == twin_id:
        raise ValidationError({"twin": "A claim cannot be its own twin."})
    first, second = sorted((claim_id, twin_id))
    if Claim.objects.filter(pk__in=(first, second)).count() != 2:
        raise ValidationError({"twin": "Both claims must exist."})
    existing = ClaimTwin.objects.filter(first_id=first, second_id=second).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return ClaimTwin.objects.create(
                first_id=first,
                second_id=second,
                kind=kind,
                score=score,
                linked_by=user if user is not None and user.is_authenticated else None,
            )
    except IntegrityError:  # linked by someone else in between
        return ClaimTwin.objects.get(first_id=first, second_id=second)


@transaction.atomic
def claim_twin_unlink(*, claim_id: int, twin_id: int, user: AbstractBaseUser | None) -> bool:
    """Remove the twin link between two claims; False when there was none."""
    first, second = sorted((claim_id, twin_id))
    deleted, _ = ClaimTwin.objects.filter(first_id=first, second_id=second).delete()
    return bool(deleted)


def claim_twins_autolink(*, claim_id: int) -> list[ClaimTwin]:
    """Link a claim to the existing claims that pass the strict auto-link threshold."""
    claim = Claim.objects.get(pk=claim_id)
    return [
        claim_twin_link(claim_id=claim_id, twin_id=s.claim.pk, user=None, kind=ClaimTwin.Kind.AUTO, score=s.score)
        for s in claim_twins_suggest(text=claim.text, exclude_claim_id=claim_id, limit=20)
        if s.auto
    ]


def claim_twins(*, claim_id: int) -> list[Claim]:
    """The claims linked to this one as twins, with their statuses (a verdict on one shows on the other)."""
    links = ClaimTwin.objects.filter(Q(first_id=claim_id) | Q(second_id=claim_id)).values_list("first_id", "second_id")
    ids = {a if b == claim_id else b for a, b in links}
    return list(Claim.objects.filter(pk__in=ids).select_related("claimant").order_by("pk"))
