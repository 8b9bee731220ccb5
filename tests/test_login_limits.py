"""Password guessing is contained: one limit per client address for the admin and the API login."""

from __future__ import annotations

import socket
import uuid

import pytest
from django.test import Client
from rest_framework.test import APIClient

from claims.services.login_limits import client_address, login_attempt_register, login_limits_reset_local
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and correct password"


@pytest.fixture(autouse=True)
def fresh_counts(settings):  # type: ignore[no-untyped-def]
    # A key prefix of our own: fresh counters without flushing a cache other test processes share.
    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-login-{uuid.uuid4().hex}"} for name, config in settings.CACHES.items()
    }
    settings.LOGIN_RATE_LIMIT = "10/minute"
    # Dozens of logins per test: a fast hasher (the limit, not the hash, is under test).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TRUSTED_PROXIES = []
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    login_limits_reset_local()
    yield
    login_limits_reset_local()


@pytest.fixture
def staff(db):  # type: ignore[no-untyped-def]
    user = UserFactory(username="desk", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def admin_login(client: Client, password: str, **headers: str) -> int:
    response = client.post("/admin/login/", {"username": "desk", "password": password}, **headers)
    return response.status_code


def test_25_wrong_passwords_on_the_admin_login_are_limited(staff):
    client = Client()
    codes = [admin_login(client, "guess") for _ in range(25)]
    assert codes[:10] == [200] * 10  # the login page again, "Please enter the correct username and password"
    assert set(codes[10:]) == {429}
    # Over the limit, the right password is refused too, with a readable reason.
    response = client.post("/admin/login/", {"username": "desk", "password": PASSWORD})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many login attempts from your address" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_password_logs_in_under_the_limit(staff):
    response = Client().post("/admin/login/", {"username": "desk", "password": PASSWORD})
    assert response.status_code == 302


def test_rotating_forwarded_for_from_an_untrusted_peer_does_not_evade_the_limit(staff):
    client = Client()
    codes = [admin_login(client, "guess", HTTP_X_FORWARDED_FOR=f"10.0.{n // 250}.{n % 250}") for n in range(25)]
    assert set(codes[10:]) == {429}


def test_admin_and_api_logins_share_one_count(staff):
    for _ in range(10):
        assert admin_login(Client(), "guess") == 200
    api = APIClient().post("/api/auth/token/", {"username": "desk", "password": PASSWORD}, format="json")
    assert api.status_code == 429
    assert int(api["Retry-After"]) > 0


def test_behind_a_trusted_proxy_each_client_has_its_own_count(staff, settings):
    settings.TRUSTED_PROXIES = ["172.18.0.0/16"]
    proxy = {"REMOTE_ADDR": "172.18.0.5"}
    for _ in range(10):
        admin_login(Client(**proxy), "guess", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert admin_login(Client(**proxy), "guess", HTTP_X_FORWARDED_FOR="203.0.113.7") == 429
    # A prepended (client-chosen) hop changes nothing: the proxy's own entry is the rightmost.
    assert admin_login(Client(**proxy), "guess", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7") == 429
    assert admin_login(Client(**proxy), PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8") == 302


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("203.0.113.9", "1.2.3.4", "203.0.113.9"),  # untrusted peer: the header is ignored
        ("10.0.0.2", "", "10.0.0.2"),  # trusted proxy, no header: the proxy itself
        ("10.0.0.2", "1.2.3.4", "1.2.3.4"),
        ("10.0.0.2", "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the rightmost untrusted hop, not the client's pick
        ("10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.3", "1.2.3.4"),  # past a second trusted proxy
        ("10.0.0.2", "10.0.0.4, 10.0.0.3", "10.0.0.4"),  # all trusted: the leftmost known
        ("10.0.0.2", "not-an-address", "10.0.0.2"),  # garbage: the last hop we know
        ("10.0.0.2", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_reads_forwarded_for_only_behind_trusted_proxies(settings, peer, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    meta = {"REMOTE_ADDR": peer, "HTTP_X_FORWARDED_FOR": forwarded}
    assert client_address(meta=meta) == expected


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_with_redis_down_logins_are_still_limited_per_process(staff, settings, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "login_limits": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    client = Client()
    codes = [admin_login(client, "guess") for _ in range(12)]
    assert codes == [200] * 10 + [429] * 2
    assert "login limit cache unavailable" in caplog.text
    assert not login_attempt_register(address="127.0.0.1").allowed
