"""The app as deployed: gunicorn with DEBUG off, JSON logs with request ids, static files, Celery logs."""

from __future__ import annotations

import json
import os
import re
import signal

import pytest

from tests.production.processes import celery, django_env, http, wait_until

pytestmark = pytest.mark.integration


@pytest.fixture
def deployed_env(tmp_path, collected_static) -> dict[str, str]:
    # SQLite and the file-system broker: these tests are about the web process, not the services.
    return django_env(
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        TRACKER_VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(collected_static),
        WHITENOISE_USE_FINDERS="false",
    )


def test_access_and_app_logs_are_json_lines_with_the_request_id(start_gunicorn, deployed_env):
    server = start_gunicorn(deployed_env)

    # when a request with a proxy's id ends in a 404 (which Django logs as a warning)
    answer = http("GET", server.base_url + "/no-such-page", headers={"X-Request-ID": "req-4e1f-test"})
    http("GET", server.base_url + "/healthz")
    wait_until(lambda: "/healthz" in server.output(), timeout=10, what="the access log line")

    # then every line gunicorn and Django printed is a JSON object
    lines = server.json_lines()
    assert answer.status == 404
    assert answer.headers["x-request-id"] == "req-4e1f-test"
    access = [line for line in lines if line.get("logger") == "gunicorn.access" and line["path"] == "/no-such-page"]
    assert access == [
        {
            **access[0],
            "method": "GET",
            "status": 404,
            "request_id": "req-4e1f-test",
            "level": "INFO",
        }
    ]
    app_lines = [line for line in lines if line.get("logger") == "django.request"]
    assert app_lines and app_lines[0]["request_id"] == "req-4e1f-test"
    assert app_lines[0]["level"] == "WARNING"
    assert any(line.get("logger") == "gunicorn.error" and "Booting worker" in line["message"] for line in lines)


def test_an_unsafe_request_id_is_replaced(start_gunicorn, deployed_env):
    server = start_gunicorn(deployed_env)

    answer = http("GET", server.base_url + "/healthz", headers={"X-Request-ID": "bad id\twith spaces"})

    assert re.fullmatch(r"[0-9a-f]{32}", answer.headers["x-request-id"])


def test_debug_is_off_so_errors_are_plain_pages(start_gunicorn, deployed_env):
    server = start_gunicorn(deployed_env)

    answer = http("GET", server.base_url + "/no-such-page")

    assert answer.status == 404
    assert b"URLconf" not in answer.body
    assert b"DEBUG = True" not in answer.body
    assert b"Traceback" not in answer.body


def test_admin_css_is_served_by_whitenoise_from_collectstatic(start_gunicorn, deployed_env):
    server = start_gunicorn(deployed_env)

    login = http("GET", server.base_url + "/admin/login/")
    stylesheet = re.search(rb'href="(/static/admin/css/base\.[0-9a-f]+\.css)"', login.body)
    assert login.status == 200 and stylesheet, login.body[:500]
    css = http("GET", server.base_url + stylesheet.group(1).decode())

    assert css.status == 200
    assert css.headers["content-type"].startswith("text/css")
    assert b"body" in css.body
    # Hashed names are cached for ever by browsers and proxies.
    assert "max-age=315360000" in css.headers["cache-control"]


def test_celery_worker_logs_json_lines(deployed_env, log_dir):
    env = dict(deployed_env)
    if os.geteuid() == 0:
        # Celery warns about root before logging is set up; containers run as an unprivileged user.
        env["PYTHONWARNINGS"] = "ignore::UserWarning"
    worker = celery(env, log_dir, "--quiet", "worker", "--loglevel", "INFO", "--concurrency", "1", name="worker")
    worker.start()
    try:
        wait_until(lambda: worker.assert_alive() or " ready." in worker.output(), timeout=60, what="worker ready")
    finally:
        worker.stop(signal.SIGTERM)

    # Celery prints its own farewell on shutdown, outside logging; everything else is JSON.
    before_shutdown = worker.output().split("worker: Warm shutdown")[0]
    lines = [line for line in before_shutdown.splitlines() if line.strip()]
    assert lines
    parsed = [json.loads(line) for line in lines]
    assert any(line["logger"] == "celery.apps.worker" and "ready" in line["message"] for line in parsed)
    assert all({"time", "level", "logger", "message"} <= set(line) for line in parsed)
