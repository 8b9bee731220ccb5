"""Liveness and readiness probes for load balancers and orchestrators.

``/healthz`` answers as long as the process serves requests (no database);
``/readyz`` says whether this instance can do its job: the database answers,
the broker is reachable and every migration is applied. Both are
unauthenticated, so they name the failing part and nothing more: details
(hosts, error messages) go to the log, never into the response.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Each probe gives up after about this long, so /readyz answers well within a
# load balancer's usual 5 s timeout even when a dependency hangs.
CHECK_TIMEOUT_SECONDS = 2
OK = "ok"
FAILED = "unavailable"
SKIPPED = "unknown"


def _check_database() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A wedged server must not hold the probe; connecting is bounded by connect_timeout.
            cursor.execute("SET statement_timeout = %s", [CHECK_TIMEOUT_SECONDS * 1000])
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.execute("RESET statement_timeout")
        else:
            cursor.execute("SELECT 1")


def _check_migrations() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migration(s) not applied")


def _check_filesystem_broker() -> None:
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    folder = Path(options.get("data_folder_in") or settings.VAR_DIR / "broker" / "queue")
    folder.mkdir(parents=True, exist_ok=True)
    # Writing a file proves more than os.access (read-only mounts, full disks).
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".readyz-", delete=True) as probe:
        probe.write(b"ok")
        probe.flush()
        os.fsync(probe.fileno())


def _check_redis_broker(url: str) -> None:
    import redis

    client = redis.Redis.from_url(
        url,
        socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
        socket_timeout=CHECK_TIMEOUT_SECONDS,
        retry_on_timeout=False,
    )
    try:
        client.ping()
    finally:
        client.close()


def _check_other_broker(url: str) -> None:
    from kombu import Connection

    with Connection(url, connect_timeout=CHECK_TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT_SECONDS)


def _check_broker() -> None:
    url: str = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        _check_filesystem_broker()
    elif url.startswith(("redis://", "rediss://", "unix://")):
        _check_redis_broker(url)
    else:
        _check_other_broker(url)


def _run(name: str, check: Callable[[], None]) -> str:
    try:
        check()
    except Exception as exc:
        # The reason is for operators (in the log), not for whoever polls the probe.
        logger.warning("readiness check failed", extra={"check": name, "error": f"{type(exc).__name__}: {exc}"})
        return FAILED
    return OK


class HealthCheckMiddleware:
    """Answers /healthz and /readyz before host validation and the HTTPS redirect.

    Probes come from load balancers and container runtimes that address the
    process by IP over plain HTTP; ALLOWED_HOSTS and SECURE_SSL_REDIRECT would
    otherwise answer them 400 or 301. Everything else passes through.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.probes: dict[str, Callable[[HttpRequest], HttpResponse]] = {"/healthz": healthz, "/readyz": readyz}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = self.probes.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and serving requests; touches nothing else."""
    return JsonResponse({"status": OK})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: database, broker and migrations, each named in the answer."""
    checks = {"database": _run("database", _check_database)}
    # Without a database the migration state cannot be read; asking would only wait again.
    checks["migrations"] = _run("migrations", _check_migrations) if checks["database"] == OK else SKIPPED
    checks["broker"] = _run("broker", _check_broker)
    ready = all(value == OK for value in checks.values())
    return JsonResponse({"status": OK if ready else FAILED, "checks": checks}, status=200 if ready else 503)
