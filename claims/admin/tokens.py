"""API tokens in the admin: editors issue and revoke them, within limits.

knox's own admin lets whoever may add tokens pick any user and leave the
expiry empty (a token that never expires). Editors get this stricter one:
no tokens for superusers unless you are one, an expiry always set (the
site-wide TTL by default), tokens never edited, only revoked.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import ForeignKey, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from knox.admin import AuthTokenAdmin as KnoxAuthTokenAdmin
from knox.models import AuthToken

admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(KnoxAuthTokenAdmin):
    list_display = ("token_key", "user", "created", "expiry")
    list_select_related = ("user",)

    def _limit_to(self, request: HttpRequest, users: QuerySet) -> QuerySet:
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuthToken]:
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(user__is_superuser=False)

    def formfield_for_foreignkey(self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            kwargs["queryset"] = self._limit_to(request, get_user_model().objects.filter(is_active=True))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: AuthToken, form: Any, change: bool) -> None:
        if obj.expiry is None:  # never a token that lives for ever
            obj.expiry = timezone.now() + settings.REST_KNOX["TOKEN_TTL"]
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
