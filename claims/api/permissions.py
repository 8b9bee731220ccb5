"""Who may do what through the API: Django model permissions, granted through groups.

Groups (migration 0003): viewers read; fact-checkers read, add evidence and
sources, change statuses and start re-checks; editors also create, edit and
archive claims, claimants, sources and articles. Reading needs the model's
``view_`` permission too. Nothing here deletes history: claims have no DELETE.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

_ACTION_BY_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class AllowedMethodsFirst:
    """Answer 405 to a method the route does not serve, before login and permissions.

    DRF checks the permission first, so the answer to, say, DELETE on a claim
    depended on the caller (401, 403, or 405 for an editor). Checked first, a
    method the route lacks is 405 for everyone, and the permission table in
    docs/api.md only has to name who may use the methods that exist.
    """

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if request.method not in self.allowed_methods:  # type: ignore[attr-defined]
            self.format_kwarg = self.get_format_suffix(**kwargs)  # type: ignore[attr-defined]
            raise MethodNotAllowed(request.method or "")
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


def _perm(model: type[Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


class ModelPermissions(BasePermission):
    """The view's model permission for the request's method (GET needs ``view_``).

    Subclasses made by :func:`model_permissions` name another model, for actions
    on a claim that act on its evidence or history.
    """

    model: type[Model] | None = None

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        action = _ACTION_BY_METHOD.get(request.method or "")
        if action is None:
            return False
        model = self.model or view.queryset.model
        return user.has_perm(_perm(model, action))


def model_permissions(model: type[Model]) -> type[ModelPermissions]:
    return type(f"{model.__name__}Permissions", (ModelPermissions,), {"model": model})


def requires(*perms: str) -> type[BasePermission]:
    """A permission class that needs every one of ``perms`` (e.g. ``claims.change_claim_status``)."""

    class Requires(BasePermission):
        def has_permission(self, request: Request, view: Any) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and user.has_perms(perms))

    Requires.__name__ = "Requires_" + "_".join(p.split(".")[-1] for p in perms)
    return Requires
