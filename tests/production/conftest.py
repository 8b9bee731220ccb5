"""Fixtures for the production tests: our own Redis and PostgreSQL, gunicorn and Celery processes."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings

from tests.production.processes import (
    ManagedProcess,
    PostgresCluster,
    RedisServer,
    django_env,
    gunicorn,
    manage,
    wait_for_http,
)


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    return tmp_path / "logs"


@pytest.fixture
def own_redis(log_dir: Path) -> Iterator[RedisServer]:
    server = RedisServer(log_dir).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresCluster]:
    """A PostgreSQL cluster of our own, so a test may stop and start it."""
    if not PostgresCluster.available():
        pytest.fail("PostgreSQL server binaries not found (set PG_BIN); apt-get install postgresql-15")
    # Not under pytest's tmp dir: that is private to root and the server runs as postgres.
    cluster = PostgresCluster(Path(tempfile.mkdtemp(prefix="tracker-pg-"))).init().start()
    yield cluster
    cluster.destroy()


@pytest.fixture
def migrated_db_url(django_db_setup, django_db_blocker) -> str:
    """A URL to the test database pytest-django created and migrated, for child processes."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("these tests need DATABASE_URL pointing at PostgreSQL")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """collectstatic as the image build runs it: a throwaway secret, DEBUG off."""
    root = tmp_path_factory.mktemp("static")
    env = django_env(SECRET_KEY="collectstatic-only-not-a-secret", STATIC_ROOT=str(root))
    result = manage(env, "collectstatic", "--noinput")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def start_gunicorn(log_dir: Path) -> Iterator[Callable[..., ManagedProcess]]:
    """Starts gunicorn with the given environment and waits for /healthz; stops them all after the test."""
    started: list[ManagedProcess] = []

    def start(env: dict[str, str], *, name: str = "gunicorn") -> ManagedProcess:
        proc = gunicorn(env, log_dir, name=name).start()
        started.append(proc)
        wait_for_http(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()
