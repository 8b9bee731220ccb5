"""Celery tasks: thin faces over the re-check services.

Tasks take ids, return quietly when the row is gone, and call one service.
acks_late and reject_on_worker_lost (settings) put a task whose worker died
back on the queue; the lease token makes a second delivery a no-op. Retries
cover only a database that is briefly unreachable; a fetch failure is an
outcome with its own backoff, not a task retry. No countdown ever exceeds
the broker's visibility timeout (retry_backoff_max is well below it).
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from claims.fetching import HostBusy
from claims.services.checking import source_check_run as run_check
from claims.services.scheduling import recheck_dispatch_due

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="claims.tasks.source_check_run",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def source_check_run(self: Task, check_id: int, lease_token: str, turn_host: str | None = None) -> None:
    """Run one dispatched source check (nothing happens if it is done or the token is stale)."""

    def requeue(busy: HostBusy) -> bool:
        # The site's turn, reserved for this check, is seconds off: come back then instead of
        # holding a worker slot asleep. A turn not reserved (far off, or a paused site) is left to a sweep.
        if not busy.reserved:
            return False
        kwargs = {"check_id": check_id, "lease_token": lease_token, "turn_host": busy.host}
        try:
            self.apply_async(kwargs=kwargs, countdown=busy.retry_after, retry=False)
        except Exception:  # broker gone: the source is made due later instead
            logger.warning("Could not re-publish check %s for its turn", check_id, exc_info=True)
            return False
        return True

    run_check(check_id=check_id, lease_token=lease_token, requeue=requeue, reserved_host=turn_host)


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


# --- Alerts: thin faces over claims/services/alerts.py ------------------------------


@shared_task(
    name="claims.tasks.fan_out_alert",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=60,
    max_retries=3,
)
def fan_out_alert(event_id: int) -> int:
    """Create the deliveries of one event (idempotent) and queue those due now."""
    from claims.services.alerts import alert_fan_out

    return len(alert_fan_out(event_id=event_id))


@shared_task(
    name="claims.tasks.deliver_alert",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=60,
    max_retries=3,
    # A slow receiver is cut off by the sender's own timeout well before these.
    soft_time_limit=int(settings.ALERT_WEBHOOK_TIMEOUT) + 20,
    time_limit=int(settings.ALERT_WEBHOOK_TIMEOUT) + 30,
)
def deliver_alert(delivery_id: int) -> bool:
    """Send one delivery; a failure is recorded on the row and retried by the sweep with back-off."""
    from claims.services.alerts import alert_deliver

    return alert_deliver(delivery_id=delivery_id)


@shared_task(name="claims.tasks.sweep_alerts", expires=settings.ALERT_SWEEP_SECONDS, acks_late=False)
def sweep_alerts() -> int:
    """Queue events not fanned out and deliveries due (broker outages, retries, quiet hours)."""
    from claims.services.alerts import alerts_sweep

    return alerts_sweep()


@shared_task(name="claims.tasks.send_alert_digests", acks_late=False)
def send_alert_digests() -> int:
    """The daily digest email, one per person."""
    from claims.services.alerts import alerts_send_digests

    return alerts_send_digests()
