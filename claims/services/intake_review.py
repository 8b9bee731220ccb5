"""Deciding on claim proposals: accept (a new claim), merge (into an existing claim) or reject.

Each decision locks the proposal row first, so two editors deciding at once
are served one after the other: the second accept finds the claim the first
one made and returns it instead of making another.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import QUOTE_MAX, Article, Claim, Claimant, ClaimProposal, Evidence, Source, StatusChange
from claims.services.editing import claim_create
from claims.services.evidence import evidence_add


def _lock(proposal_id: int) -> ClaimProposal:
    try:
        return (
            ClaimProposal.objects.select_for_update(of=("self",)).select_related("intake__article").get(pk=proposal_id)
        )
    except ClaimProposal.DoesNotExist:
        raise ValidationError({"proposal": f"No proposal with id {proposal_id}."}) from None


def _refuse_decided(proposal: ClaimProposal) -> None:
    if proposal.state != ClaimProposal.State.PENDING:
        raise ValidationError(
            {"proposal": f"This proposal was already {proposal.get_state_display().lower()}; nothing was changed."}
        )


def _user(user: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return user if user is not None and user.is_authenticated else None


def origin_source(article: Article) -> Source:
    """The source standing for the article itself: its web page, or a named report when no URL is known."""
    if article.url:
        source, _ = Source.objects.get_or_create(
            url=article.url,
            defaults={"name": article.title[:300], "kind": Source.Kind.WEB, "publisher": article.publisher},
        )
        return source
    source, _ = Source.objects.get_or_create(
        name=article.title[:300],
        kind=Source.Kind.REPORT,
        publisher=article.publisher,
        defaults={"is_monitored": False, "notes": "The article, taken in by intake (no URL)."},
    )
    return source


def _claimant(proposal: ClaimProposal, claimant_id: int | None, claimant_name: str) -> int:
    if claimant_id is not None:
        if not Claimant.objects.filter(pk=claimant_id).exists():
            raise ValidationError({"claimant": f"No claimant with id {claimant_id}."})
        return claimant_id
    name = (claimant_name or proposal.claimant_guess).strip()[:200]
    if not name:
        raise ValidationError({"claimant": "Say who asserts this claim: no claimant could be guessed."})
    claimant, _ = Claimant.objects.get_or_create(name=name, defaults={"kind": Claimant.Kind.ORGANISATION})
    return claimant.pk


@transaction.atomic
def proposal_accept(
    *,
    proposal_id: int,
    user: AbstractBaseUser | None,
    text: str = "",
    claimant_id: int | None = None,
    claimant_name: str = "",
    via: str = StatusChange.Via.ADMIN,
) -> Claim:
    """Make the proposal a claim (worded as ``text`` if given), with the article as its origin source.

    Accepting an already accepted proposal returns its claim: the same claim, never a second one.
    """
    proposal = _lock(proposal_id)
    if proposal.state == ClaimProposal.State.ACCEPTED and proposal.claim_id is not None:
        return proposal.claim  # type: ignore[return-value]
    _refuse_decided(proposal)
    article = proposal.intake.article
    if article is None:
        raise ValidationError({"proposal": "The article of this proposal was not stored; read it again."})
    claim = claim_create(
        text=text or proposal.sentence,
        claimant_id=_claimant(proposal, claimant_id, claimant_name),
        article_id=article.pk,
        user=user,
        via=via,
    )
    evidence_add(
        claim_id=claim.pk,
        source_id=origin_source(article).pk,
        role=Evidence.Role.MADE,
        quote=proposal.sentence[:QUOTE_MAX],
        note=proposal.note,
        user=user,
    )
    _decide(proposal, ClaimProposal.State.ACCEPTED, user, claim)
    from claims.services.intake_twins import claim_twins_autolink

    claim_twins_autolink(claim_id=claim.pk)
    return Claim.objects.get(pk=claim.pk)


@transaction.atomic
def proposal_merge(*, proposal_id: int, claim_id: int, user: AbstractBaseUser | None) -> Claim:
    """Record the proposal as one more place the existing claim was made (the sentence as the quote)."""
    proposal = _lock(proposal_id)
    if proposal.state == ClaimProposal.State.MERGED and proposal.claim_id == claim_id:
        return proposal.claim  # type: ignore[return-value]
    _refuse_decided(proposal)
    if not Claim.objects.filter(pk=claim_id).exists():
        raise ValidationError({"claim": f"No claim with id {claim_id}."})
    article = proposal.intake.article
    if article is None:
        raise ValidationError({"proposal": "The article of this proposal was not stored; read it again."})
    source = origin_source(article)
    if not Evidence.objects.filter(claim_id=claim_id, source=source, role=Evidence.Role.MADE).exists():
        evidence_add(
            claim_id=claim_id,
            source_id=source.pk,
            role=Evidence.Role.MADE,
            quote=proposal.sentence[:QUOTE_MAX],
            note=proposal.note,
            user=user,
        )
    _decide(proposal, ClaimProposal.State.MERGED, user, Claim.objects.get(pk=claim_id))
    return Claim.objects.get(pk=claim_id)


@transaction.atomic
def proposal_reject(*, proposal_id: int, user: AbstractBaseUser | None, reason: str = "") -> ClaimProposal:
    """Mark the proposal as not a claim worth tracking."""
    proposal = _lock(proposal_id)
    if proposal.state == ClaimProposal.State.REJECTED:
        return proposal
    _refuse_decided(proposal)
    if reason.strip():
        proposal.note = (proposal.note + "\n" if proposal.note else "") + f"Rejected: {reason.strip()}"
    _decide(proposal, ClaimProposal.State.REJECTED, user, None)
    return proposal


def _decide(proposal: ClaimProposal, state: str, user: AbstractBaseUser | None, claim: Claim | None) -> None:
    proposal.state = state
    proposal.claim = claim
    proposal.decided_by = _user(user)
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["state", "claim", "decided_by", "decided_at", "note"])
