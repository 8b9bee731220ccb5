"""Creating and editing claims, with optimistic concurrency on every write."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims.models import CLAIM_TEXT_MAX, Claim, StatusChange
from claims.services.errors import StaleEdit
from claims.services.status import lock_claim

EDITABLE_FIELDS = {"text", "claimant", "article", "is_archived"}


def validate_claim_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "A claim needs its text: one checkable statement."})
    if len(text) > CLAIM_TEXT_MAX:
        raise ValidationError(
            {"text": f"Keep a claim under {CLAIM_TEXT_MAX} characters (this one has {len(text)}); split it."}
        )
    return text


@transaction.atomic
def claim_create(
    *,
    text: str,
    claimant_id: int,
    article_id: int | None = None,
    user: AbstractBaseUser | None,
    via: str = StatusChange.Via.API,
) -> Claim:
    """Record a new claim as ``unverified``, with its first history entry."""
    claim = Claim.objects.create(
        text=validate_claim_text(text),
        claimant_id=claimant_id,
        article_id=article_id,
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


@transaction.atomic
def claim_update(*, claim_id: int, expected_version: int, user: AbstractBaseUser | None, **fields: Any) -> Claim:
    """Change a claim's plain fields (never its status) if nobody changed it since ``expected_version``."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    claim = lock_claim(claim_id)
    if claim.version != expected_version:
        raise StaleEdit(claim, expected_version)
    if "text" in fields:
        fields["text"] = validate_claim_text(fields["text"])
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name in {"claimant", "article"}:
            values[f"{name}_id"] = getattr(value, "pk", value)
        else:
            values[name] = value
    updated = Claim.objects.filter(pk=claim.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    if updated != 1:
        raise StaleEdit(Claim.objects.get(pk=claim.pk), expected_version)
    claim.refresh_from_db()
    return claim


def claim_touch(claim_id: int) -> None:
    """Bump the version after a change to the claim's evidence, so stale views notice.

    Its sources may have changed, so the last-check summary is recomputed in the same statement.
    """
    from claims.services.check_summary import latest_check_of_claim

    Claim.objects.filter(pk=claim_id).update(
        version=F("version") + 1, updated_at=timezone.now(), last_check=latest_check_of_claim(claim_id)
    )
