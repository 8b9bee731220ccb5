"""API tokens: issued hashed (only the digest is stored), with an expiry, revocable."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import knox_settings


def token_create(*, user: AbstractBaseUser, ttl: timedelta | None = None) -> tuple[AuthToken, str]:
    """Issue a token for ``user``; returns the stored row and the plain token, shown once.

    ``ttl`` defaults to ``REST_KNOX["TOKEN_TTL"]``; the plain token is never stored,
    only its SHA-512 digest, so a lost token is revoked and replaced, not recovered.
    """
    if ttl is not None and ttl <= timedelta(0):
        raise ValueError("A token's lifetime must be positive.")
    # Requests judge only the token they carry, so the user's expired ones are swept here.
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return AuthToken.objects.create(user=user, expiry=ttl if ttl is not None else knox_settings.TOKEN_TTL)


def token_revoke_all(*, user: AbstractBaseUser) -> int:
    """Revoke every token of ``user``; returns how many there were."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted
