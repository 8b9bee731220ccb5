"""The JSON 404 for paths under /api/ that no endpoint matches."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import ErrorDetail

from claims.api.exceptions import error_body


# Exempt from CSRF: it changes nothing, and a POST to a mistyped path deserves the API's
# JSON 404 rather than Django's HTML CSRF page.
@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    return JsonResponse(
        error_body(404, ErrorDetail(f"No API endpoint at {request.path[:200]}.", code="not_found")), status=404
    )
