"""The admin site: Django's, with its login counted against the shared login limit.

Lives outside ``claims/admin/`` because the admin app loads it by name before
``claims.admin`` (which registers the model pages) is imported.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from claims.services.login_limits import client_address, login_attempt_register


class LimitedAdminAuthenticationForm(AdminAuthenticationForm):
    """Counts the attempt before the password is checked; over the limit, says so and checks nothing."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "login_limited": "Too many login attempts from your address. Try again in %(seconds)d seconds.",
    }

    def clean(self) -> dict[str, Any]:
        limit = login_attempt_register(address=client_address(meta=self.request.META))
        self.request.login_limit = limit  # type: ignore[union-attr]  # read by the site for the status
        if not limit.allowed:
            raise ValidationError(
                self.error_messages["login_limited"], code="login_limited", params={"seconds": limit.retry_after}
            )
        return super().clean()


class TrackerAdminSite(admin.AdminSite):
    login_form = LimitedAdminAuthenticationForm
    # Extends admin/index.html with the dashboard (claims/admin/dashboard.py).
    index_template = "admin/tracker_index.html"

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """The front page, with the desk's dashboard above the model list for those who may see claims."""
        extra_context = dict(extra_context or {})
        if request.user.has_perm("claims.view_claim"):
            from claims.admin.dashboard import dashboard_context  # claims.admin loads after this module

            extra_context["dashboard"] = dashboard_context()
        return super().index(request, extra_context)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().login(request, extra_context)
        limit = getattr(request, "login_limit", None)
        if limit is not None and not limit.allowed:
            response.status_code = 429
            response["Retry-After"] = str(limit.retry_after)
        return response
