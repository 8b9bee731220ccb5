"""Status changes and the independence rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims.models import Claim, Claimant, Evidence, StatusChange
from claims.services.errors import StaleEdit

RATIONALE_MAX = 4000


@dataclass(frozen=True)
class LinkView:
    """What the independence rule needs to know about one claim-source link."""

    role: str
    publisher_id: int | None


def independence_error(claimant: Claimant, to_status: str, links: Iterable[LinkView]) -> str | None:
    """Why ``to_status`` is not allowed with these links, or None if it is.

    ``confirmed`` needs a supporting source from an organisation outside the
    claimant's affiliation chain; ``false`` needs a refuting source.
    """
    links = list(links)
    if to_status == Claim.Status.CONFIRMED:
        own = claimant.affiliation_ids()
        if not any(
            link.role == Evidence.Role.SUPPORTS and link.publisher_id is not None and link.publisher_id not in own
            for link in links
        ):
            return (
                f"A claim can only be confirmed with at least one supporting source from an organisation "
                f"other than the claimant ({claimant.name}). Add such a source first."
            )
    if to_status == Claim.Status.FALSE and not any(link.role == Evidence.Role.REFUTES for link in links):
        return "A claim can only be marked false with at least one refuting source. Add one first."
    return None


def stored_links(claim: Claim) -> list[LinkView]:
    return [
        LinkView(role=role, publisher_id=publisher_id)
        for role, publisher_id in Evidence.objects.filter(claim=claim).values_list("role", "source__publisher_id")
    ]


def validate_status_change(*, claim: Claim, to_status: str, rationale: str) -> str:
    """Check a requested change against every rule; return the cleaned rationale.

    Raises ``ValidationError`` keyed by field (``status`` or ``rationale``).
    """
    if to_status not in Claim.Status.values:
        allowed = ", ".join(Claim.Status.values)
        raise ValidationError({"status": f"Unknown status {to_status!r}; use one of: {allowed}."})
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError({"rationale": "Say why the status changes: a rationale is required."})
    if len(rationale) > RATIONALE_MAX:
        raise ValidationError({"rationale": f"Keep the rationale under {RATIONALE_MAX} characters."})
    if to_status == claim.status:
        raise ValidationError({"status": f"The claim is already {claim.get_status_display().lower()}."})
    problem = independence_error(claim.claimant, to_status, stored_links(claim))
    if problem:
        raise ValidationError({"status": problem})
    return rationale


def lock_claim(claim_id: int) -> Claim:
    """The claim, row-locked until the surrounding transaction ends."""
    return Claim.objects.select_for_update().select_related("claimant").get(pk=claim_id)


@transaction.atomic
def claim_change_status(
    *,
    claim_id: int,
    to_status: str,
    rationale: str,
    user: AbstractBaseUser | None,
    expected_version: int | None,
    via: str = StatusChange.Via.ADMIN,
    internal_notes: str = "",
) -> Claim:
    """Move a claim to ``to_status`` and record who, when, from, to and why.

    ``expected_version`` is the version the caller saw; if the claim changed
    since, ``StaleEdit`` is raised and nothing is written. Pass ``None`` only
    for callers that act on the current state by design (the bulk action
    after its confirmation page re-reads each claim). Clears a review flag:
    a person has now looked at the claim. The rationale is public once the
    claim is published; ``internal_notes`` stay on the desk.
    """
    claim = lock_claim(claim_id)
    if expected_version is not None and claim.version != expected_version:
        raise StaleEdit(claim, expected_version)
    rationale = validate_status_change(claim=claim, to_status=to_status, rationale=rationale)
    internal_notes = (internal_notes or "").strip()
    if len(internal_notes) > RATIONALE_MAX:
        raise ValidationError({"internal_notes": f"Keep the internal notes under {RATIONALE_MAX} characters."})
    now = timezone.now()
    updated = Claim.objects.filter(pk=claim.pk, version=claim.version).update(
        status=to_status,
        status_changed_at=now,
        version=F("version") + 1,
        needs_review=False,
        review_reason="",
        review_flagged_at=None,
        review_check=None,
        updated_at=now,
    )
    if updated != 1:  # only possible without row locks (SQLite): treat as stale
        raise StaleEdit(Claim.objects.get(pk=claim.pk), claim.version)
    StatusChange.objects.create(
        claim=claim,
        from_status=claim.status,
        to_status=to_status,
        rationale=rationale,
        internal_notes=internal_notes,
        changed_by=user if user is not None and user.is_authenticated else None,
        changed_at=now,
        via=via,
        version=claim.version + 1,
    )
    claim.refresh_from_db()
    return claim
