"""Shared admin building blocks: read-only rows, and URL fields that assume https."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest


class ReadOnlyPermissions:
    """Refuses add, change and delete; mixed into admins and inlines."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(ReadOnlyPermissions, admin.TabularInline):
    extra = 0


class ReadOnlyAdmin(ReadOnlyPermissions, admin.ModelAdmin):
    pass


# Django 6 will assume https for scheme-less URLs; editors get that now (and no deprecation warning).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}
