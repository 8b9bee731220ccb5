"""Settings fail loudly on bad environment values and are safe by default."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tracker.env import env_bool, env_int

ROOT = Path(__file__).resolve().parent.parent


def test_env_bool_rejects_typos(monkeypatch):
    monkeypatch.setenv("X_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_FLAG")


def test_env_int_enforces_minimum(monkeypatch):
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_NUM", 5, minimum=1)


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_no_secret_key_without_debug_fails_with_one_readable_line():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = _manage("check", env=env)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "manage.py: configuration error: SECRET_KEY is not set: put SECRET_KEY=<a long random string> "
        "(or DEBUG=true on a laptop) in .env, or run `make run` once to write one"
    ]


def test_settings_read_the_env_file_and_the_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# a comment\nSECRET_KEY=from-the-env-file-0123456789-0123456789-0123456789\n"
        'FETCH_USER_AGENT="Desk bot/2.0 (from .env)"\nLOG_LEVEL=WARNING\n'
    )
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "FETCH_USER_AGENT", "DEBUG"}}
    env.update(TRACKER_ENV_FILE=str(env_file), LOG_LEVEL="ERROR")
    script = "from django.conf import settings as s; print(s.SECRET_KEY[:13], s.FETCH_USER_AGENT, s.LOG_LEVEL, sep='|')"
    result = _manage("shell", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    # The file fills what the environment leaves unset; LOG_LEVEL set in both keeps the environment's value.
    assert result.stdout.strip().splitlines()[-1] == "from-the-env-|Desk bot/2.0 (from .env)|ERROR"


def test_debug_is_off_unless_set():
    from django.conf import settings

    assert "DEBUG" not in os.environ or os.environ["DEBUG"].lower() in {"0", "false", "no", "off", ""}
    assert settings.DEBUG is False
