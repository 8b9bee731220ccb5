"""Create (or update) the periodic re-check sweep in django-celery-beat's tables. Idempotent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask

SWEEP_NAME = "Re-check due sources"
SWEEP_TASK = "claims.tasks.recheck_sweep"


class Command(BaseCommand):
    help = "Create the periodic re-check sweep (every RECHECK_SWEEP_SECONDS); safe to run on every start."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        every = settings.RECHECK_SWEEP_SECONDS
        schedule, _ = IntervalSchedule.objects.get_or_create(every=every, period=IntervalSchedule.SECONDS)
        task, created = PeriodicTask.objects.get_or_create(
            name=SWEEP_NAME, defaults={"task": SWEEP_TASK, "interval": schedule}
        )
        if not created and (task.task != SWEEP_TASK or task.interval_id != schedule.pk):
            task.task, task.interval, task.crontab = SWEEP_TASK, schedule, None
            task.save()
        # Editors may pause the sweep in the admin (enabled=False); a restart does not undo that.
        verb = "Created" if created else "Kept"
        self.stdout.write(f"{verb} periodic task {SWEEP_NAME!r}: {SWEEP_TASK} every {every} s.")
