"""/healthz and /readyz: what load balancers and compose's healthcheck poll."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from tests.production.processes import closed_port, django_env, http


def test_healthz_answers_without_touching_the_database(client: Client):
    # No django_db mark: any query here would raise.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.integration
def test_readyz_is_ok_when_database_broker_and_migrations_are(client: Client):
    response = client.get("/readyz")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "broker": "ok"},
    }


@pytest.mark.django_db
def test_readyz_names_an_unreachable_redis_broker_and_nothing_more(client: Client, settings):
    # given a broker URL on a port nothing listens on (with a password, which must not leak)
    port = closed_port()
    settings.CELERY_BROKER_URL = f"redis://:sekret-password@127.0.0.1:{port}/0"

    # when
    response = client.get("/readyz")

    # then
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "migrations": "ok", "broker": "unavailable"},
    }
    assert str(port).encode() not in response.content
    assert b"sekret" not in response.content


@pytest.mark.django_db
def test_readyz_checks_a_filesystem_broker_folder_is_writable(client: Client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "queue")}
    assert client.get("/readyz").json()["checks"]["broker"] == "ok"

    # a folder that cannot exist (its parent is a file)
    (tmp_path / "not-a-dir").write_text("")
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "not-a-dir" / "queue")}
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "unavailable"


@pytest.mark.django_db
def test_probes_answer_any_host_over_plain_http(client: Client, settings):
    # Load balancers probe by IP and over HTTP; neither may turn into a 400 or a redirect.
    settings.ALLOWED_HOSTS = ["tracker.example.org"]
    settings.SECURE_SSL_REDIRECT = True

    healthz = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    readyz = client.get("/readyz", HTTP_HOST="10.0.0.7:8000")
    other = client.get("/admin/login/", HTTP_HOST="10.0.0.7:8000")

    assert healthz.status_code == 200
    assert readyz.status_code in (200, 503)  # the broker is whatever this run uses; not a 301/400
    assert other.status_code == 400  # everything else still validates the host


@pytest.mark.integration
def test_readyz_reports_the_database_down_fast_and_skips_migrations(start_gunicorn, tmp_path):
    # given gunicorn whose DATABASE_URL points at a port nothing listens on
    env = django_env(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port()}/tracker",
        TRACKER_VAR_DIR=str(tmp_path / "var"),
    )
    server = start_gunicorn(env)

    # when
    answer = http("GET", server.base_url + "/readyz")

    # then
    assert answer.status == 503
    assert answer.json() == {
        "status": "unavailable",
        "checks": {"database": "unavailable", "migrations": "unknown", "broker": "ok"},
    }
    assert answer.seconds < 5


@pytest.mark.integration
def test_readyz_reports_unapplied_migrations(start_gunicorn, pg_cluster, tmp_path):
    # given an empty database nobody has migrated yet
    url = pg_cluster.create_database(f"unmigrated_{uuid.uuid4().hex[:8]}")
    server = start_gunicorn(django_env(DATABASE_URL=url, TRACKER_VAR_DIR=str(tmp_path / "var")))

    answer = http("GET", server.base_url + "/readyz")

    assert answer.status == 503
    assert answer.json()["checks"] == {"database": "ok", "migrations": "unavailable", "broker": "ok"}
