"""Re-check requests: the interface the admin, the API and the scheduler call.

The fetching, snapshotting and flagging behind it arrive with the re-check
issue; the signatures below are the contract the other faces rely on.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Claim, Source, SourceCheck


class RecheckUnavailable(Exception):
    """The work queue cannot be reached; nothing was enqueued, nothing lost."""


def recheck_request(
    *, source_id: int, user: AbstractBaseUser | None = None, trigger: str = SourceCheck.Trigger.ADMIN
) -> SourceCheck:
    """Ask for a re-check of one source now; returns the (possibly already open) check.

    A source with a check already queued or running gets that check back, so
    asking twice enqueues nothing twice.
    """
    source = Source.objects.get(pk=source_id)
    if not source.url:
        raise ValidationError({"source": f"{source.name} has no URL, so there is nothing to fetch."})
    with transaction.atomic():
        open_check = SourceCheck.objects.filter(source=source, state__in=["queued", "running"]).first()
        if open_check:
            return open_check
        try:
            with transaction.atomic():
                check = SourceCheck.objects.create(
                    source=source,
                    trigger=trigger,
                    requested_by=user if user is not None and user.is_authenticated else None,
                )
        except IntegrityError:  # someone else opened one in between
            return SourceCheck.objects.get(source=source, state__in=["queued", "running"])
    return check


def recheck_request_for_claim(
    *, claim_id: int, user: AbstractBaseUser | None = None, trigger: str = SourceCheck.Trigger.ADMIN
) -> list[SourceCheck]:
    """Ask for a re-check of every fetchable source of a claim."""
    claim = Claim.objects.get(pk=claim_id)
    source_ids = list(claim.evidence.exclude(source__url="").values_list("source_id", flat=True).distinct())
    if not source_ids:
        raise ValidationError({"claim": "None of this claim's sources has a URL to re-check."})
    return [recheck_request(source_id=sid, user=user, trigger=trigger) for sid in source_ids]
