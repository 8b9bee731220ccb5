"""A JSON parser that holds request bodies to DATA_UPLOAD_MAX_MEMORY_SIZE.

Django enforces the cap for form bodies and ``request.body`` only; DRF's JSON
parser reads the stream directly, so without this a client could send any size.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from rest_framework.parsers import JSONParser

from claims.api.exceptions import RequestTooLarge


class CappedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and stream is not None:
            request = (parser_context or {}).get("request")
            declared = request.META.get("CONTENT_LENGTH") if request is not None else None
            if declared and str(declared).isdigit() and int(declared) > limit:
                raise RequestTooLarge(f"The request body is larger than {limit} bytes.")
            # The declared length can lie (or be absent with chunked bodies): read one byte past the cap.
            body = stream.read(limit + 1)
            if len(body) > limit:
                raise RequestTooLarge(f"The request body is larger than {limit} bytes.")
            stream = io.BytesIO(body)
        return super().parse(stream, media_type, parser_context)
