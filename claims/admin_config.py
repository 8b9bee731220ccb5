"""The admin app's configuration: Django's admin with the tracker's site (claims/admin_site.py).

A module of its own: INSTALLED_APPS loads it before any model exists.
"""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class TrackerAdminConfig(AdminConfig):
    default_site = "claims.admin_site.TrackerAdminSite"
