"""Publishing: which claims readers (and ClaimReview readers) may see."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims.models import AlertEvent, Claim
from claims.services.alerts import alert_record
from claims.services.errors import StaleEdit
from claims.services.status import lock_claim


def _locked(claim_id: int, expected_version: int | None) -> Claim:
    claim = lock_claim(claim_id)
    if expected_version is not None and claim.version != expected_version:
        raise StaleEdit(claim, expected_version)
    return claim


@transaction.atomic
def claim_publish(*, claim_id: int, user: AbstractBaseUser | None, expected_version: int | None = None) -> Claim:
    """Show the claim, its public rationale and its sources to readers.

    Publishing an already published claim changes nothing. An archived claim
    is withdrawn and cannot be published (``ValidationError`` on
    ``is_published``). The first publication time is kept across withdrawals:
    it is the ClaimReview's datePublished.
    """
    claim = _locked(claim_id, expected_version)
    if claim.is_archived:
        raise ValidationError({"is_published": "An archived claim cannot be published; restore it first."})
    if claim.is_published:
        return claim
    now = timezone.now()
    Claim.objects.filter(pk=claim.pk).update(
        is_published=True,
        published_at=claim.published_at or now,
        published_by=user if user is not None and user.is_authenticated else None,
        version=F("version") + 1,
        updated_at=now,
    )
    claim.refresh_from_db()
    alert_record(kind=AlertEvent.Kind.PUBLISHED, claim_id=claim.pk)
    return claim


@transaction.atomic
def claim_unpublish(*, claim_id: int, user: AbstractBaseUser | None, expected_version: int | None = None) -> Claim:
    """Withdraw the claim from readers; its public page answers 404 from now on."""
    claim = _locked(claim_id, expected_version)
    if not claim.is_published:
        return claim
    now = timezone.now()
    Claim.objects.filter(pk=claim.pk).update(is_published=False, version=F("version") + 1, updated_at=now)
    claim.refresh_from_db()
    return claim
