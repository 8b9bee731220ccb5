"""Creating and editing claims, with optimistic concurrency on every write."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from claims.models import Claim, StatusChange
from claims.services.changes import CLAIM_EDITABLE, claim_apply_changes, validate_claim_text, validate_language
from claims.services.rights import CREATE, require_field_rights

EDITABLE_FIELDS = set(CLAIM_EDITABLE)


@transaction.atomic
def claim_create(
    *,
    text: str,
    claimant_id: int,
    article_id: int | None = None,
    language: str = "",
    user: AbstractBaseUser | None,
    via: str = StatusChange.Via.API,
) -> Claim:
    """Record a new claim as ``unverified``, with its first history entry."""
    being_set = [
        "text",
        "claimant",
        *(["article"] if article_id is not None else []),
        *(["language"] if language else []),
    ]
    require_field_rights(user=user, resource="claim", action=CREATE, fields=being_set)
    claim = Claim.objects.create(
        text=validate_claim_text(text),
        claimant_id=claimant_id,
        article_id=article_id,
        language=validate_language(language),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    StatusChange.objects.create(
        claim=claim,
        from_status="",
        to_status=claim.status,
        rationale="Recorded.",
        changed_by=claim.created_by,
        via=via,
        version=claim.version,
    )
    return claim


def claim_update(*, claim_id: int, expected_version: int, user: AbstractBaseUser | None, **fields: Any) -> Claim:
    """Change a claim's plain fields (never its status) if nobody changed it since ``expected_version``."""
    return claim_apply_changes(claim_id=claim_id, expected_version=expected_version, fields=fields, user=user).claim
