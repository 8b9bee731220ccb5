"""Re-check requests: the interface the admin, the API and the command call.

A request marks the source due now, opens (or reuses) its one open check,
takes the source's lease and publishes the task once the rows are committed.

Reporting a dead broker: when the caller is not inside a transaction (the
API's and the admin's normal case), the rows commit first and the publish
happens right away, so a failure raises RecheckUnavailable to the caller
while the check stays queued, due now and unleased, for the sweep. Inside an
outer transaction the publish must wait for that commit, so the broker is
probed first and an unreachable one raises RecheckUnavailable before
anything is written (the caller's transaction decides the rest); a broker
that dies between probe and commit is logged and left to the sweep. The
publish fails within about 2 s (CELERY_BROKER_CONNECTION_TIMEOUT, no retry).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import Claim, Source, SourceCheck
from claims.services.scheduling import publish_check, publish_or_release, source_dispatch, source_release_lease


class RecheckUnavailable(Exception):
    """The work queue cannot be reached; the check stays queued and the sweep runs it later."""


def _unavailable(source: Source, exc: Exception, *, recorded: bool) -> RecheckUnavailable:
    if not recorded:
        return RecheckUnavailable(
            f"The re-check of {source.name} was not started: the work queue (Redis) cannot be reached "
            f"({exc.__class__.__name__}). Try again once it is back."
        )
    return RecheckUnavailable(
        f"The re-check of {source.name} is recorded but the work queue (Redis) cannot be reached "
        f"({exc.__class__.__name__}); it will run automatically once the queue is back."
    )


def broker_ensure_reachable() -> None:
    """Connect to the broker once, failing within the connection timeout; raises on failure."""
    from tracker.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)


def _nothing(check_id: int, source_id: int, token: str) -> None:
    """Publishing is done by the caller, not on commit."""


def recheck_request(
    *, source_id: int, user: AbstractBaseUser | None = None, trigger: str = SourceCheck.Trigger.ADMIN
) -> SourceCheck:
    """Ask for a re-check of one source now; returns the (possibly already open) check.

    A source with a check already queued or running gets that check back, so
    asking twice enqueues nothing twice. Raises ValidationError for a source
    without a URL and RecheckUnavailable when the broker is down.
    """
    source = Source.objects.get(pk=source_id)
    if not source.url:
        raise ValidationError({"source": f"{source.name} has no URL, so there is nothing to fetch."})
    in_outer_transaction = transaction.get_connection().in_atomic_block
    if in_outer_transaction:
        try:
            broker_ensure_reachable()
        except Exception as exc:
            raise _unavailable(source, exc, recorded=False) from exc
    with transaction.atomic():
        # Due now: if the publish below is lost, the next sweep still finds it.
        Source.objects.filter(pk=source.pk).update(next_check_at=timezone.now())
        check, token = source_dispatch(source_id=source.pk, trigger=trigger, user=user, on_commit=_nothing)
    assert check is not None  # an open check exists whenever the lease is held
    if token is None:
        return check  # already dispatched or running: it will report by itself
    if in_outer_transaction:
        transaction.on_commit(lambda: publish_or_release(check.pk, source.pk, token))
        return check
    try:
        publish_check(check.pk, token)
    except Exception as exc:
        source_release_lease(source_id=source.pk, lease_token=token)
        raise _unavailable(source, exc, recorded=True) from exc
    return check


def recheck_request_for_claim(
    *, claim_id: int, user: AbstractBaseUser | None = None, trigger: str = SourceCheck.Trigger.ADMIN
) -> list[SourceCheck]:
    """Ask for a re-check of every fetchable source of a claim.

    With the broker down every source's check is still recorded (the sweep
    runs them later) before RecheckUnavailable is raised once.
    """
    claim = Claim.objects.get(pk=claim_id)
    source_ids = list(claim.evidence.exclude(source__url="").values_list("source_id", flat=True).distinct())
    if not source_ids:
        raise ValidationError({"claim": "None of this claim's sources has a URL to re-check."})
    checks: list[SourceCheck] = []
    unavailable: RecheckUnavailable | None = None
    for source_id in sorted(source_ids):
        try:
            checks.append(recheck_request(source_id=source_id, user=user, trigger=trigger))
        except RecheckUnavailable as exc:
            unavailable = exc
    if unavailable is not None:
        raise RecheckUnavailable(
            f"The re-checks of this claim's {len(source_ids)} source(s) are recorded but the work queue (Redis) "
            f"cannot be reached; they will run automatically once the queue is back."
        ) from unavailable
    return checks
