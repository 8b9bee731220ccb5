"""The real stack for re-check tests: a Celery worker process, Redis, PostgreSQL, local web servers.

The worker is started once per session (and again after a fault test kills
it) with the same settings as this process, pointed at pytest-django's test
database, so ``transaction=True`` tests see what the worker writes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.fetching.servers import PageServer, forget_politeness
from tests.rechecks.stack import LEASE_SECONDS, MAX_BYTES, TOTAL_TIMEOUT, WorkerProcess, stack_env


@pytest.fixture(scope="session")
def page_server() -> Iterator[PageServer]:
    with PageServer() as server:
        yield server


def _forget_routing(app) -> None:  # type: ignore[no-untyped-def]
    """Celery builds its routing table on the first send and keeps it: make it read the new settings.

    Without this, a task sent earlier in the session (an alert, an intake) leaves the sweep routed
    to the settings' queue, where no test worker listens.
    """
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)


@pytest.fixture(scope="session")
def _worker_process(django_db_setup, page_server, tmp_path_factory) -> Iterator[WorkerProcess]:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql" or not django_settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail("Re-check integration tests need DATABASE_URL (PostgreSQL) and REDIS_URL (Redis).")
    from tracker.celery import app

    # A private queue: no other worker on this Redis (another suite's stack) takes our tasks, nor we theirs.
    queue = f"rechecks-test-{uuid.uuid4().hex[:8]}"
    default_queue, default_routes = app.conf.task_default_queue, app.conf.task_routes
    app.conf.task_default_queue = queue
    app.conf.task_routes = {"claims.tasks.recheck_sweep": {"queue": f"{queue}-sweeps"}}  # as the worker's settings
    _forget_routing(app)
    env = stack_env(page_server.port, CELERY_TASK_DEFAULT_QUEUE=queue)
    worker = WorkerProcess(env, tmp_path_factory.mktemp("worker"), queue=queue)
    worker.start()
    yield worker
    worker.stop()
    app.conf.task_default_queue, app.conf.task_routes = default_queue, default_routes
    _forget_routing(app)
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        for name in (queue, f"{queue}-sweeps"):
            channel.queue_delete(name)
            channel.client.delete(f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")


@pytest.fixture
def worker(_worker_process: WorkerProcess) -> WorkerProcess:
    """The session's worker, restarted if a fault test killed it."""
    if not _worker_process.alive:
        _worker_process.start()
    return _worker_process


@pytest.fixture
def pages(page_server: PageServer, settings) -> Iterator[PageServer]:  # type: ignore[no-untyped-def]
    """The shared page server, emptied for this test, with this process's settings matching the worker's."""
    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{page_server.port}", f"localhost:{page_server.port}"]
    settings.FETCH_MIN_SPACING = 0
    settings.FETCH_TOTAL_TIMEOUT = TOTAL_TIMEOUT
    settings.FETCH_MAX_BYTES = MAX_BYTES
    settings.RECHECK_LEASE = timedelta(seconds=LEASE_SECONDS)
    settings.RECHECK_GONE_AFTER = 2
    settings.RECHECK_UNREACHABLE_AFTER = 2
    page_server.reset()
    forget_politeness()
    yield page_server
    page_server.reset()
