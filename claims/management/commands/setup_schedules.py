"""Create (or update) the periodic tasks in django-celery-beat's tables: re-check sweep, alert sweep, digest. Idempotent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

SWEEP_NAME = "Re-check due sources"
SWEEP_TASK = "claims.tasks.recheck_sweep"
ALERT_SWEEP_NAME = "Deliver pending alerts"
ALERT_SWEEP_TASK = "claims.tasks.sweep_alerts"
DIGEST_NAME = "Daily alert digest"
DIGEST_TASK = "claims.tasks.send_alert_digests"


class Command(BaseCommand):
    help = (
        "Create the periodic re-check sweep (every RECHECK_SWEEP_SECONDS), the alert sweep "
        "(every ALERT_SWEEP_SECONDS) and the daily digest (ALERT_DIGEST_HOUR UTC); safe to run on every start."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        for name, task_name, every in (
            (SWEEP_NAME, SWEEP_TASK, settings.RECHECK_SWEEP_SECONDS),
            (ALERT_SWEEP_NAME, ALERT_SWEEP_TASK, settings.ALERT_SWEEP_SECONDS),
        ):
            interval, _ = IntervalSchedule.objects.get_or_create(every=every, period=IntervalSchedule.SECONDS)
            self._keep(name, task_name, interval=interval, crontab=None, when=f"every {every} s")
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute="0", hour=str(settings.ALERT_DIGEST_HOUR), day_of_week="*", day_of_month="*", month_of_year="*"
        )
        self._keep(DIGEST_NAME, DIGEST_TASK, interval=None, crontab=crontab, when=f"daily at {crontab.hour}:00")

    def _keep(
        self,
        name: str,
        task_name: str,
        *,
        interval: IntervalSchedule | None,
        crontab: CrontabSchedule | None,
        when: str,
    ) -> None:
        task, created = PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task_name, "interval": interval, "crontab": crontab}
        )
        if not created and (task.task, task.interval_id, task.crontab_id) != (
            task_name,
            interval.pk if interval else None,
            crontab.pk if crontab else None,
        ):
            task.task, task.interval, task.crontab = task_name, interval, crontab
            task.save()
        # Editors may pause a task in the admin (enabled=False); a restart does not undo that.
        verb = "Created" if created else "Kept"
        self.stdout.write(f"{verb} periodic task {name!r}: {task_name} {when}.")
