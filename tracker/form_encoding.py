"""Refuse form data and query strings that are not valid UTF-8, instead of storing U+FFFD.

Django decodes urlencoded bodies and query strings with ``errors="replace"``,
so an invalid UTF-8 byte (raw, or percent-encoded like ``%FF``) reaches forms
as U+FFFD and is saved as if the client had sent it. This middleware decodes
both strictly first and answers 400 when they do not decode: the admin's
forms, the API's form parser and every query string alike. JSON bodies are
the JSON parser's business; multipart bodies are not checked (no form here
takes files).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl

from django.core.exceptions import RequestDataTooBig
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

URLENCODED = "application/x-www-form-urlencoded"
MESSAGE = "The {part} is not valid {charset}; nothing was saved. Send text in {charset}."


def _decodes(raw: bytes, charset: str) -> bool:
    try:
        text = raw.decode(charset)
        parse_qsl(text, keep_blank_values=True, encoding=charset, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return False
    return True


class StrictFormEncodingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
        if query and not _decodes(query, "utf-8"):
            return _refuse(request, "query string", "utf-8")
        # (Django itself refuses urlencoded bodies that declare a charset other than UTF-8.)
        is_form = request.method in ("POST", "PUT", "PATCH") and request.content_type == URLENCODED
        if is_form and not _decodes(_body(request), "utf-8"):
            return _refuse(request, "form data", "utf-8")
        return self.get_response(request)


def _body(request: HttpRequest) -> bytes:
    try:
        return request.body
    except RequestDataTooBig:
        # Not read: the view meets the same error when it reads the body, and answers as it does (API: 413).
        return b""


def _refuse(request: HttpRequest, part: str, charset: str) -> HttpResponse:
    message = MESSAGE.format(part=part, charset=charset.upper())
    if request.path_info.startswith("/api/"):
        # The API's one error shape (claims/api/exceptions.py).
        body = {
            "errors": [{"field": None, "message": message, "code": "invalid_encoding"}],
            "status_code": 400,
            "code": "invalid_encoding",
        }
        return JsonResponse(body, status=400)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
