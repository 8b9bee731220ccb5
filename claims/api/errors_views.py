"""The JSON 404 for paths under /api/ that no endpoint matches."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from rest_framework.exceptions import ErrorDetail

from claims.api.exceptions import error_body


def not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        error_body(404, ErrorDetail(f"No API endpoint at {request.path[:200]}.", code="not_found")), status=404
    )
