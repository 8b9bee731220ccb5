"""The independence rule, the claim lock, and status changes (written by ``claims.services.changes``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

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


def lock_claim(claim_id: int, *, expected_version: int | None = None) -> Claim:
    """The claim, row-locked until the surrounding transaction ends.

    With ``expected_version``, a claim that moved on since raises ``StaleEdit``.
    """
    claim = Claim.objects.select_for_update().select_related("claimant").get(pk=claim_id)
    if expected_version is not None and claim.version != expected_version:
        raise StaleEdit(claim, expected_version)
    return claim


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
    """Move a claim to ``to_status`` and record who, when, from, to and why (``claim_apply_changes``).

    ``expected_version`` is the version the caller saw; if the claim changed
    since, ``StaleEdit`` is raised and nothing is written. Pass ``None`` only
    for callers that act on the current state by design (the bulk action
    after its confirmation page re-reads each claim). Clears a review flag:
    a person has now looked at the claim. The rationale is public once the
    claim is published; ``internal_notes`` stay on the desk.
    """
    from claims.services.changes import claim_apply_changes  # changes builds on this module's rules

    applied = claim_apply_changes(
        claim_id=claim_id,
        expected_version=expected_version,
        status=to_status,
        rationale=rationale,
        internal_notes=internal_notes,
        user=user,
        via=via,
    )
    return applied.claim
