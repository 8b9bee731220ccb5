"""One error shape for every 4xx the API answers, and the exceptions behind it.

Every error body is ``{"errors": [{"field", "message", "code"}], "status_code"}``;
``field`` is null when the error is about the request as a whole. A 412 also
carries ``current``: the claim as it is now, so the client can merge and retry.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response

from claims.services.errors import FieldsNotPermitted, StaleEdit
from claims.services.rechecks import RecheckUnavailable


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send an If-Match header with the claim's ETag (from GET on the claim), "
        "so a change made meanwhile by someone else is not overwritten."
    )
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The If-Match header does not match the claim's current ETag; reload it and try again."
    default_code = "precondition_failed"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The re-check queue cannot be reached right now; nothing was queued. Try again shortly."
    default_code = "recheck_unavailable"


def _flatten(detail: Any, field: str | None = None) -> list[dict[str, Any]]:
    """DRF's nested error detail as a flat list; nested fields get dotted names (``evidence.0.role``)."""
    if isinstance(detail, dict):
        items: list[dict[str, Any]] = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "__all__", "detail") else str(key)
            items += _flatten(value, f"{field}.{name}" if field and name else (name or field))
        return items
    if isinstance(detail, list):
        items = []
        for index, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            items += _flatten(value, f"{field}.{index}" if nested and field else field)
        return items
    code = getattr(detail, "code", None) or "invalid"
    return [{"field": field, "message": str(detail), "code": code}]


def error_body(status_code: int, detail: Any) -> dict[str, Any]:
    return {"errors": _flatten(detail), "status_code": status_code}


def _stale_response(exc: StaleEdit, context: dict[str, Any]) -> Response:
    # The current state lets the client show the other person's change and retry with its ETag.
    from claims.api.etags import claim_etag
    from claims.api.queries import claim_detail_queryset
    from claims.api.serializers import ClaimSerializer

    request = context.get("request")
    claim = claim_detail_queryset().filter(pk=exc.claim.pk).first() or exc.claim
    body = error_body(412, exceptions.ErrorDetail(str(exc), code="stale_edit"))
    body["current"] = ClaimSerializer(claim, context={"request": request}).data
    return Response(body, status=412, headers={"ETag": claim_etag(claim)})


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler plus the services' exceptions, all in one body shape."""
    # Imported here: rest_framework.views loads the parsers, which import this module.
    from rest_framework.views import exception_handler

    if isinstance(exc, StaleEdit):
        return _stale_response(exc, context)
    if isinstance(exc, FieldsNotPermitted):
        exc = exceptions.PermissionDenied(exc.message_dict)
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge(str(exc) or None)
    elif isinstance(exc, RecheckUnavailable):
        exc = ServiceUnavailable(str(exc) or None)
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None
    response.data = error_body(response.status_code, response.data)
    return response
