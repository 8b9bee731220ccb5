"""OpenAPI pieces: the error body, and error responses every operation documents.

``TrackerAutoSchema`` adds the errors any operation can answer (401, 403, 429,
400 for input, 404 for a path id, 413 for bodies) unless an ``extend_schema``
already names them; views add 412, 428 and 503 where they can happen.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="The input field at fault; null for the whole request.")
    message = serializers.CharField()
    code = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)
    status_code = serializers.IntegerField()


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


COMMON_ERRORS = {
    "400": "Invalid input or query parameters; each error names its field.",
    "401": "Not logged in: send `Authorization: Token <token>` (POST /api/auth/token/ issues one).",
    "403": "Logged in, but your group may not do this.",
    "404": "No such object.",
    "413": "Request body larger than the 1 MB limit.",
    "429": "Too many requests; wait for the Retry-After seconds.",
}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class TrackerAutoSchema(AutoSchema):
    #: Views without login (the token endpoint) drop 401/403 defaults via this.
    def _default_error_codes(self) -> list[str]:
        codes = ["401", "403", "429"]
        if self.method in WRITE_METHODS or self._is_list_view() or self._get_filter_parameters():
            codes.append("400")
        if "{" in self.path:
            codes.append("404")
        if self.method in {"POST", "PUT", "PATCH"}:
            codes.append("413")
        skip = set(getattr(self.view, "schema_skip_errors", ()))
        return [code for code in codes if code not in skip]

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)  # type: ignore[arg-type]
        for code in self._default_error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(error(COMMON_ERRORS[code]), code)
        return dict(sorted(responses.items()))
