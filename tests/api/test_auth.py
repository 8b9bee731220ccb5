"""Tokens: issued on login, hashed, expiring, revocable; throttles; the api_token command."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory's


def _with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_login_with_a_json_body_gives_a_working_hashed_token(anon_api, fact_checker, settings):
    response = anon_api.post("/api/auth/token/", {"username": "checker", "password": PASSWORD})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["username"], body["groups"]) == ("checker", ["fact-checkers"])
    stored = AuthToken.objects.get(user=fact_checker)
    assert body["token"] not in (stored.digest, stored.token_key)  # only a digest is kept
    expected_expiry = timezone.now() + settings.REST_KNOX["TOKEN_TTL"]
    assert abs((stored.expiry - expected_expiry).total_seconds()) < 60
    assert _with_token(body["token"]).get("/api/claims/").status_code == 200


def test_login_with_basic_auth(anon_api, editor):
    credentials = base64.b64encode(f"editor:{PASSWORD}".encode()).decode()
    response = anon_api.post("/api/auth/token/", HTTP_AUTHORIZATION=f"Basic {credentials}")
    assert response.status_code == 200
    assert response.json()["groups"] == ["editors"]


@pytest.mark.parametrize(
    "body", [{"username": "checker", "password": "wrong"}, {"username": "nobody", "password": "x"}]
)
def test_wrong_credentials_are_401_and_issue_nothing(anon_api, fact_checker, body):
    response = anon_api.post("/api/auth/token/", body)
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "Wrong username or password."
    assert not AuthToken.objects.exists()


def test_login_attempts_are_rate_limited_even_when_they_fail(anon_api, fact_checker, settings):
    settings.LOGIN_RATE_LIMIT = "3/minute"
    codes = [
        anon_api.post("/api/auth/token/", {"username": "checker", "password": "guess"}).status_code for _ in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    # the right password is throttled too, until the window passes
    assert anon_api.post("/api/auth/token/", {"username": "checker", "password": PASSWORD}).status_code == 429


def test_a_forged_forwarded_for_does_not_escape_the_login_limit(anon_api, fact_checker, settings):
    settings.LOGIN_RATE_LIMIT = "2/minute"
    codes = [
        anon_api.post(
            "/api/auth/token/", {"username": "checker", "password": "guess"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        ).status_code
        for n in range(3)
    ]
    assert codes == [401, 401, 429]


def test_requests_per_user_are_throttled(viewer_api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "5/minute"},
    }
    codes = [viewer_api.get("/api/claims/").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    last = viewer_api.get("/api/claims/")
    assert last.json()["status_code"] == 429
    assert int(last["Retry-After"]) > 0


def test_logout_revokes_the_token(anon_api, fact_checker):
    token = anon_api.post("/api/auth/token/", {"username": "checker", "password": PASSWORD}).json()["token"]
    client = _with_token(token)
    assert client.post("/api/auth/logout/").status_code == 204
    assert client.get("/api/claims/").status_code == 401


def test_an_expired_token_is_401(viewer):
    # given a token that expired a minute ago
    instance, token = AuthToken.objects.create(user=viewer, expiry=timedelta(days=1))
    AuthToken.objects.filter(pk=instance.pk).update(expiry=timezone.now() - timedelta(minutes=1))
    # when / then
    response = _with_token(token).get("/api/claims/")
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "Invalid token."


def test_a_forged_token_is_401(anon_api):
    assert _with_token("f" * 64).get("/api/claims/").status_code == 401


def test_the_command_issues_a_token_once_with_its_lifetime(viewer, capsys):
    call_command("api_token", "--user", "viewer", "--ttl-days", "2")
    out, err = capsys.readouterr()
    token = out.strip()
    assert "expires" in err
    stored = AuthToken.objects.get(user=viewer)
    assert timedelta(days=1, hours=23) < stored.expiry - timezone.now() <= timedelta(days=2)
    assert _with_token(token).get("/api/claims/").status_code == 200


def test_the_command_revokes_every_token_of_a_user(viewer, capsys):
    clients = [token_client(viewer) for _ in range(2)]
    call_command("api_token", "--user", "viewer", "--revoke-all")
    assert "Revoked 2 token(s) of viewer." in capsys.readouterr().out
    assert [c.get("/api/claims/").status_code for c in clients] == [401, 401]


@pytest.mark.integration  # the command runs in another process: it needs a database server
def test_the_command_fails_with_one_line_for_an_unknown_user():
    # A real process, so the exit status and stderr are what a shell sees; it uses the test database.
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings
    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "api_token", "--user", "nobody-here"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "CommandError: No user named 'nobody-here'."


def test_knox_tokens_are_managed_in_the_admin():
    assert admin.site.is_registered(AuthToken)


def test_the_browsable_api_works_with_a_session(editor, settings):
    # The manifest storage needs collectstatic, which a test run does not do.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client = Client()
    client.force_login(editor)
    response = client.get("/api/claims/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Claim" in response.content
