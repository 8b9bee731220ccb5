"""Adding, editing and removing one link between a claim and a source (``claims.services.changes``)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from claims.models import Claim, Evidence
from claims.services.changes import EVIDENCE_EDITABLE, LinkChange, NewLink, claim_apply_changes

__all__ = ["EVIDENCE_EDITABLE", "evidence_add", "evidence_remove", "evidence_update"]


def evidence_add(
    *,
    claim_id: int,
    source_id: int,
    role: str,
    quote: str = "",
    note: str = "",
    user: AbstractBaseUser | None,
    expected_version: int | None = None,
) -> Evidence:
    """Link a source to a claim with its role and quoted passage."""
    applied = claim_apply_changes(
        claim_id=claim_id,
        expected_version=expected_version,
        evidence_add=[NewLink(source_id=source_id, role=role, quote=quote, note=note)],
        user=user,
    )
    return applied.added[0]


def evidence_update(
    *, evidence_id: int, user: AbstractBaseUser | None, expected_version: int | None = None, **fields: object
) -> Evidence:
    """Change a link's source, role, quote or note, judged with the claim's other links.

    A new quote or source resets the re-check's verdict and makes the source due now.
    """
    claim_id = Evidence.objects.values_list("claim_id", flat=True).get(pk=evidence_id)
    claim_apply_changes(
        claim_id=claim_id,
        expected_version=expected_version,
        evidence_update=[LinkChange(evidence_id=evidence_id, fields=fields)],
        user=user,
    )
    return Evidence.objects.get(pk=evidence_id)


def evidence_remove(
    *,
    evidence_id: int,
    user: AbstractBaseUser | None,
    claim_id: int | None = None,
    expected_version: int | None = None,
) -> Claim:
    """Unlink a source from a claim, unless the claim's status rests on it.

    ``claim_id`` scopes the lookup to one claim (``Evidence.DoesNotExist``
    otherwise); ``expected_version`` refuses a stale removal with ``StaleEdit``.
    """
    if claim_id is None:
        claim_id = Evidence.objects.values_list("claim_id", flat=True).get(pk=evidence_id)
    applied = claim_apply_changes(
        claim_id=claim_id, expected_version=expected_version, evidence_remove=[evidence_id], user=user
    )
    return applied.claim
