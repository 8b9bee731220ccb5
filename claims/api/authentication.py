"""Token authentication that reads one row per request."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.models import AuthToken
from knox.signals import token_expired


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's token check without its per-request sweep of the user's other tokens.

    Knox loads every token of the user on every request to delete expired ones;
    here only the presented token is judged (and deleted once expired), and the
    user's other expired tokens go when a new token is issued (``token_create``).
    """

    def _cleanup_token(self, auth_token: AuthToken) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


class TokenScheme(KnoxTokenScheme):
    """The same security scheme in the OpenAPI schema as Knox's own class."""

    target_class = "claims.api.authentication.TokenAuthentication"
