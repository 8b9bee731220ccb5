"""Throttles that read their rate at request time, so a deployment (or a test) can change it."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


class _LiveRateMixin:
    scope: str

    def get_rate(self) -> str | None:
        # DRF copies the rates into a class attribute at import; read the live settings instead.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserThrottle(_LiveRateMixin, UserRateThrottle):
    """Per user (per address when anonymous), backed by the cache (Redis in production)."""


class AnonThrottle(_LiveRateMixin, AnonRateThrottle):
    pass


class LoginThrottle(_LiveRateMixin, SimpleRateThrottle):
    """Login attempts per client address, counted before credentials are checked."""

    scope = "login"

    def get_cache_key(self, request, view) -> str:  # type: ignore[no-untyped-def]
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
