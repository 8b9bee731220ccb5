"""The Celery app, configured from Django settings (CELERY_* names)."""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import setup_logging, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _use_django_logging(**kwargs: object) -> None:
    # Workers and beat log like the web app: one JSON object per line (settings.LOGGING).
    # Connecting this receiver also stops Celery from replacing the root handler.
    import logging
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
    logging.captureWarnings(True)


@task_prerun.connect
@task_postrun.connect
def _close_unusable_connections(**kwargs: object) -> None:
    # With CELERY_DB_REUSE_MAX the worker keeps its database connection across tasks (one
    # connect per worker, not per check); this drops one that broke or outlived DB_CONN_MAX_AGE,
    # as Django does around a web request.
    from django.db import close_old_connections

    close_old_connections()
