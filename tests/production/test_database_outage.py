"""PostgreSQL goes down and comes back while gunicorn serves (our own cluster, not the shared one)."""

from __future__ import annotations

import uuid

import pytest

from tests.production.processes import django_env, http, manage

pytestmark = pytest.mark.integration

MAKE_USER_AND_SESSION = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
user = User.objects.create_superuser("ops", "ops@newsroom.example", "a-long-password-for-ops")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


@pytest.fixture
def served_by_own_cluster(pg_cluster, start_gunicorn, collected_static, tmp_path):
    """gunicorn on a migrated database of our own cluster, with a logged-in session and an API token."""
    env = django_env(
        DATABASE_URL=pg_cluster.create_database(f"outage_{uuid.uuid4().hex[:8]}"),
        TRACKER_VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(collected_static),
    )
    for args in (["migrate", "--noinput"], ["shell", "-c", MAKE_USER_AND_SESSION], ["api_token", "--user", "ops"]):
        result = manage(env, *args)
        assert result.returncode == 0, result.stderr
        if args[0] == "shell":
            session_key = result.stdout.strip().splitlines()[-1]  # shell may print an imports banner first
    token = result.stdout.strip()
    server = start_gunicorn(env)
    yield server, {"Cookie": f"sessionid={session_key}"}, {"Authorization": f"Token {token}"}
    if not pg_cluster_is_up(pg_cluster):
        pg_cluster.start()


def pg_cluster_is_up(cluster) -> bool:
    try:
        import psycopg

        psycopg.connect(cluster.url(), connect_timeout=2).close()
    except Exception:
        return False
    return True


def test_requests_answer_503_json_while_postgresql_is_down_and_recover_after(served_by_own_cluster, pg_cluster):
    server, session, token = served_by_own_cluster
    # given a working admin and API (persistent connections are open now)
    assert http("GET", server.base_url + "/admin/", headers=session).status == 200
    assert http("GET", server.base_url + "/api/claims/", headers=token).status == 200

    # when PostgreSQL stops
    pg_cluster.stop()
    try:
        api = http("GET", server.base_url + "/api/claims/", headers=token, timeout=10)
        admin = http("GET", server.base_url + "/admin/", headers=session, timeout=10)
        ready = http("GET", server.base_url + "/readyz", timeout=10)
    finally:
        pg_cluster.start()

    # then each answers 503 with a short JSON body, fast, and the log has no stack trace
    for answer in (api, admin):
        assert answer.status == 503
        assert answer.json() == {
            "errors": [
                {
                    "field": None,
                    "message": "The database is unavailable. Try again shortly.",
                    "code": "database_unavailable",
                }
            ],
            "status_code": 503,
            "code": "database_unavailable",
        }
        assert answer.headers["retry-after"] == "5"
        assert answer.seconds < 5
    assert ready.status == 503
    assert ready.json()["checks"]["database"] == "unavailable"
    assert "Traceback" not in server.output()
    assert any(line.get("message") == "database unavailable" for line in server.json_lines())

    # and the very first requests after the restart succeed (no stale pooled connection)
    assert http("GET", server.base_url + "/api/claims/", headers=token).status == 200
    assert http("GET", server.base_url + "/admin/", headers=session).status == 200
    assert http("GET", server.base_url + "/readyz").status == 200
