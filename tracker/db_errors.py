"""Answer 503 with a short JSON body when the database cannot be reached.

Without this, a PostgreSQL outage turns every request into a 500 with a
stack trace in the log per request. An outage is not a bug: clients get a
503 and a Retry-After they can act on, operators get one log line per
request naming the request id. Django closes the failed connection when the
request ends (errors_occurred + conn_health_checks), so the first request
after the database returns opens a fresh one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
UNAVAILABLE_MESSAGE = "The database is unavailable. Try again shortly."


class DatabaseUnavailableMiddleware:
    """Turns OperationalError/InterfaceError raised by a view into a JSON 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # No traceback: the cause is outside this process and the same for every request.
        logger.error("database unavailable", extra={"error": f"{type(exception).__name__}: {exception}".strip()})
        # The API's one error shape (claims/api/exceptions.py), so clients parse outages like any error.
        body = {
            "errors": [{"field": None, "message": UNAVAILABLE_MESSAGE, "code": "database_unavailable"}],
            "status_code": 503,
            "code": "database_unavailable",
        }
        response = JsonResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
