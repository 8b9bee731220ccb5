"""Throttles that read their rate at request time, so a deployment (or a test) can change it.

All of them tell clients apart by ``client_address`` (``TRUSTED_PROXIES``), never
by a header a client could choose.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, BaseThrottle, UserRateThrottle

from claims.services.login_limits import LoginLimit, client_address, login_attempt_register


class _LiveRateMixin:
    scope: str

    def get_rate(self) -> str | None:
        # DRF copies the rates into a class attribute at import; read the live settings instead.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request) -> str:  # type: ignore[no-untyped-def]
        return client_address(meta=request.META)


class UserThrottle(_LiveRateMixin, UserRateThrottle):
    """Per user (per address when anonymous), backed by the cache (Redis in production)."""


class AnonThrottle(_LiveRateMixin, AnonRateThrottle):
    pass


class LoginThrottle(BaseThrottle):
    """Login attempts per client address, counted before credentials are checked.

    The same count as the admin login (``LOGIN_RATE_LIMIT``, claims/services/login_limits.py).
    """

    limit: LoginLimit | None = None

    def allow_request(self, request, view) -> bool:  # type: ignore[no-untyped-def]
        self.limit = login_attempt_register(address=client_address(meta=request.META))
        return self.limit.allowed

    def wait(self) -> float | None:
        return float(self.limit.retry_after) if self.limit else None
