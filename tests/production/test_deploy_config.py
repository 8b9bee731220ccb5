"""Production settings, .env.example and docker-compose.yml: what a deployment is made of."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.production.processes import REPO, django_env, manage

PRODUCTION = {
    "SECRET_KEY": "kV3q9-Tz7LmWp2Rx8YbNc4HdJf6GsAe1UoIh5Kl0Zq_XwEr-Ty9UiOpAsDfGhJkL",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "tracker.example.org",
    "SECURE_SSL_REDIRECT": "true",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_PROXY_SSL_HEADER": "true",
}
ENV_READERS = re.compile(r"""env_(?:str|bool|int|list|float)\(\s*["']([A-Z0-9_]+)["']""")


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return manage(env, "check", "--deploy", "--fail-level", "WARNING")


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database, as a deployment has when it runs the check (drf-spectacular's check reads it)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('deploy-db')}/db.sqlite3"
    result = manage(django_env(DATABASE_URL=url, SECRET_KEY=PRODUCTION["SECRET_KEY"]), "migrate", "--noinput")
    assert result.returncode == 0, result.stderr
    return url


def test_deploy_check_is_clean_with_the_production_variables(tmp_path, migrated_sqlite):
    # given the production variables
    env = django_env(**PRODUCTION, DATABASE_URL=migrated_sqlite, TRACKER_VAR_DIR=str(tmp_path))

    # when Django's deployment checklist runs
    result = deploy_check(env)

    # then it finds nothing, not even a warning
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("unset", ["SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "SECURE_SSL_REDIRECT"])
def test_deploy_check_fails_when_a_production_variable_is_missing(tmp_path, migrated_sqlite, unset):
    env = django_env(**PRODUCTION, DATABASE_URL=migrated_sqlite, TRACKER_VAR_DIR=str(tmp_path))
    del env[unset]

    result = deploy_check(env)

    assert result.returncode != 0
    assert "security.W" in result.stdout + result.stderr


def test_env_example_passes_the_deploy_check_once_the_secret_is_set(tmp_path, migrated_sqlite):
    example = read_env_file(REPO / ".env.example")
    # The example's database host only exists inside compose; the check needs some migrated database.
    overrides = {
        "SECRET_KEY": PRODUCTION["SECRET_KEY"],
        "TRACKER_VAR_DIR": str(tmp_path),
        "DATABASE_URL": migrated_sqlite,
    }
    env = django_env(**{**example, **overrides})

    result = deploy_check(env)

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_placeholder_secret_from_env_example_is_refused(tmp_path):
    example = read_env_file(REPO / ".env.example")
    env = django_env(**{**example, "TRACKER_VAR_DIR": str(tmp_path)})

    result = deploy_check(env)

    assert result.returncode != 0
    assert "placeholder" in result.stderr


def test_env_example_lists_every_variable_the_settings_read():
    read_by_settings = set(ENV_READERS.findall((REPO / "tracker" / "settings.py").read_text()))
    read_by_gunicorn = set(
        re.findall(r"""["']((?:GUNICORN|WEB)_[A-Z_]+)["']""", (REPO / "gunicorn.conf.py").read_text())
    )
    interpolated_by_compose = set(re.findall(r"\$\$?\{([A-Z0-9_]+)", (REPO / "docker-compose.yml").read_text()))
    listed = set(read_env_file(REPO / ".env.example"))

    # TRACKER_ENV_FILE names the env file itself, so that file cannot list it.
    missing = (
        (read_by_settings | read_by_gunicorn | interpolated_by_compose)
        - listed
        - {"TRACKER_IMAGE", "HOSTNAME", "TRACKER_ENV_FILE"}
    )

    assert len(read_by_settings) > 20  # the pattern still finds the settings' readers
    assert not missing, f".env.example lacks {sorted(missing)}"


def test_deploy_doc_describes_every_variable_of_env_example():
    documented = (REPO / "docs" / "deploy.md").read_text()
    missing = [name for name in read_env_file(REPO / ".env.example") if f"`{name}`" not in documented]
    assert not missing, f"docs/deploy.md lacks {missing}"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_compose_runs_the_whole_stack_from_one_image(compose):
    services = compose["services"]
    assert set(services) >= {"db", "redis", "migrate", "web", "worker", "beat", "flower"}
    app_services = ["migrate", "web", "worker", "beat", "flower"]
    assert len({services[name]["image"] for name in app_services}) == 1
    for name in app_services:
        assert services[name]["env_file"] == ".env", name
        assert services[name]["build"] == ".", name
    assert services["db"]["image"] == "postgres:15"
    assert services["redis"]["image"].startswith("redis:7")


def test_compose_migrates_before_the_app_starts(compose):
    services = compose["services"]
    migrate = " ".join(services["migrate"]["command"])
    assert "migrate --noinput" in migrate
    assert "setup_schedules" in migrate
    assert "load_seed" in migrate and "LOAD_SEED" in migrate
    for name in ["web", "worker", "beat"]:
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert services[name]["depends_on"]["db"] == {"condition": "service_healthy"}
    assert services["migrate"]["restart"] == "no"


def test_compose_healthchecks_and_durable_volumes(compose):
    services = compose["services"]
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "redis-cli" in services["redis"]["healthcheck"]["test"]
    assert "--appendonly" in services["redis"]["command"]
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    assert any(volume.endswith("/var/lib/postgresql/data") for volume in services["db"]["volumes"])
    assert any(volume.endswith(":/data") for volume in services["redis"]["volumes"])
    assert set(compose["volumes"]) == {"postgres-data", "redis-data"}


def test_workers_scale_and_beat_stays_single(compose):
    services = compose["services"]
    worker, beat, flower = services["worker"], services["beat"], services["flower"]
    assert "container_name" not in worker  # --scale worker=N needs generated names
    assert "celery -A tracker --quiet worker" in " ".join(worker["command"])
    assert "django_celery_beat.schedulers:DatabaseScheduler" in " ".join(beat["command"])
    assert "deploy" not in beat  # no replicas for beat
    assert "--basic-auth" in " ".join(flower["command"])
    assert all(port.startswith("127.0.0.1:") for port in flower["ports"])


def test_the_web_port_is_published_on_loopback_only(compose):
    # Clients must come through the proxy, or they could choose their X-Forwarded-For.
    ports = compose["services"]["web"]["ports"]
    assert ports and all(str(port).startswith("127.0.0.1:") for port in ports)


def test_dockerfile_builds_a_non_root_image_with_static_files():
    dockerfile = (REPO / "Dockerfile").read_text()
    assert dockerfile.startswith("# ") and "FROM python:3.11-slim" in dockerfile
    assert "pip install --require-hashes -r requirements.txt" in dockerfile
    assert re.search(r"SECRET_KEY=\S+ .*collectstatic --noinput", dockerfile)
    assert re.search(r"^USER tracker$", dockerfile, re.MULTILINE)
    assert 'CMD ["gunicorn", "tracker.wsgi"]' in dockerfile
    ignored = (REPO / ".dockerignore").read_text().splitlines()
    assert {".env", ".git", ".venv"} <= set(ignored)


def _compose_cli() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_compose_file_is_valid_for_docker_compose(tmp_path):
    cli = _compose_cli()
    if cli is None:
        message = "neither `docker compose` nor docker-compose is installed"
        if os.environ.get("CI"):  # .ci/run installs it: on CI its absence is a failure
            pytest.fail(message)
        pytest.skip(message)
    shutil.copy(REPO / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(REPO / ".env.example", tmp_path / ".env")

    result = subprocess.run(
        [*cli, "-f", str(tmp_path / "docker-compose.yml"), "config", "--quiet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
