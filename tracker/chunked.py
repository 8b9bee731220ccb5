"""Request bodies sent with Transfer-Encoding: chunked, made readable for Django.

Django reads at most CONTENT_LENGTH bytes of ``wsgi.input`` and treats a
missing length as 0, so a chunked JSON body (no Content-Length) arrived empty
and was refused as "field required". gunicorn already de-chunks ``wsgi.input``;
this reads it here, one byte past the upload cap at most, and hands Django the
bytes with their real length, so the API's size cap still answers 413.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings


class ChunkedBodyMiddleware:
    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH"):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 10 * 1024 * 1024
            body = environ["wsgi.input"].read(limit + 1)  # past the cap: Django and the API answer 413
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)
