"""Logging in for a token, and logging out (revoking it).

The token endpoint checks credentials itself, after the login throttle, so
password guesses are counted and slowed down even when they fail.
"""

from __future__ import annotations

import base64
import binascii

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api.authentication import TokenAuthentication
from claims.api.fields import CharField
from claims.api.permissions import AllowedMethodsFirst
from claims.api.schema import error
from claims.api.serializers import StrictInputMixin
from claims.api.throttles import LoginThrottle
from claims.services.tokens import token_create


class LoginSerializer(StrictInputMixin, serializers.Serializer):
    username = CharField(max_length=150)
    password = CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = CharField(help_text="Send as `Authorization: Token <token>`. Shown once; stored hashed.")
    expiry = serializers.DateTimeField(allow_null=True)
    username = CharField()
    groups = serializers.ListField(child=CharField())


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        username, sep, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise AuthenticationFailed("Malformed Basic credentials.") from None
    if not sep:
        raise AuthenticationFailed("Malformed Basic credentials.")
    return username, password


class LoginView(AllowedMethodsFirst, APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]
    schema_skip_errors = ("403",)

    def get_authenticate_header(self, request: Request) -> str:
        return 'Basic realm="api"'

    @extend_schema(
        summary="Log in: exchange a username and password for an API token",
        description="Send the credentials as HTTP Basic auth or as a JSON body. "
        "Rate-limited per client address. The token expires after REST_KNOX TOKEN_TTL.",
        request=LoginSerializer,
        responses={200: TokenSerializer, 401: error("Wrong username or password, or an inactive user.")},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        credentials = _basic_credentials(request)
        if credentials is None:
            serializer = LoginSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            credentials = (serializer.validated_data["username"], serializer.validated_data["password"])
        username, password = credentials
        if "\x00" in username or "\x00" in password:
            raise AuthenticationFailed("Wrong username or password.")
        user = authenticate(request._request, username=username, password=password)
        if user is None or not user.is_active:
            raise AuthenticationFailed("Wrong username or password.")
        instance, token = token_create(user=user)
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        body = {
            "token": token,
            "expiry": instance.expiry,
            "username": user.get_username(),
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }
        return Response(TokenSerializer(body).data)


class LogoutView(AllowedMethodsFirst, KnoxLogoutView):
    """Revoke the token this request was sent with."""

    authentication_classes = [TokenAuthentication]
    schema_skip_errors = ("403",)

    @extend_schema(
        summary="Log out: revoke the token sent with this request",
        request=None,
        responses={204: OpenApiResponse(description="Token revoked.")},
    )
    def post(self, request: Request, format: str | None = None) -> Response:
        return super().post(request, format)
