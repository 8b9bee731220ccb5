"""Celery tasks: thin faces over the re-check services.

Tasks take ids, return quietly when the row is gone, and call one service.
acks_late and reject_on_worker_lost (settings) put a task whose worker died
back on the queue; the lease token makes a second delivery a no-op. Retries
cover only a database that is briefly unreachable; a fetch failure is an
outcome with its own backoff, not a task retry. No countdown ever exceeds
the broker's visibility timeout (retry_backoff_max is well below it).
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from claims.services.checking import source_check_run as run_check
from claims.services.scheduling import recheck_dispatch_due


@shared_task(
    name="claims.tasks.source_check_run",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def source_check_run(check_id: int, lease_token: str) -> None:
    """Run one dispatched source check (nothing happens if it is done or the token is stale)."""
    run_check(check_id=check_id, lease_token=lease_token)


@shared_task(
    name="claims.tasks.recheck_sweep",
    # A sweep that waited longer than the next one is pointless.
    expires=settings.RECHECK_SWEEP_SECONDS,
    acks_late=False,
)
def recheck_sweep() -> int:
    """Dispatch every source that is due; run by django-celery-beat every RECHECK_SWEEP_SECONDS."""
    return recheck_dispatch_due()


@shared_task(
    name="claims.tasks.intake_run",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=60,
    max_retries=3,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def intake_run(intake_id: int) -> None:
    """Read one queued article intake (nothing happens when it already ran or is gone)."""
    from claims.models import ArticleIntake
    from claims.services.intake import intake_run as run_intake

    if ArticleIntake.objects.filter(pk=intake_id).exists():
        run_intake(intake_id=intake_id)
