"""The API's JSON parser: bounded in size and in nesting depth, strict about text.

Django enforces DATA_UPLOAD_MAX_MEMORY_SIZE for form bodies and ``request.body``
only; DRF's JSON parser reads the stream directly, so without this a client
could send any size. Python's json module recurses once per level, so a body
nested a thousand deep escaped as RecursionError (a 500 on every JSON endpoint,
login included): the depth is counted before parsing. Lone surrogates
(``"\\udc80"``) are not text PostgreSQL can store, so they are refused here too.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from claims.api.exceptions import RequestTooLarge

#: Deepest nesting of arrays and objects a request body may have; ours need 2.
MAX_DEPTH = 32
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth(body: bytes) -> int:
    """How deep arrays and objects nest in ``body`` (brackets inside strings do not count)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b"", body)):
        depth += 1 if match[0] in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


class CappedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and str(declared).isdigit() and int(declared) > limit:
            raise RequestTooLarge(f"The request body is larger than {limit} bytes.")
        # The declared length can lie: read one byte past the cap.
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise RequestTooLarge(f"The request body is larger than {limit} bytes.")
        if json_depth(body) > MAX_DEPTH:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError("JSON parse error - the body is not valid UTF-8.") from None
        try:
            data = json.loads(text, parse_constant=self._refuse_constant)
            json.dumps(data, ensure_ascii=False).encode("utf-8")  # lone surrogates fail here
        except (ValueError, RecursionError) as exc:  # RecursionError: a backstop for MAX_DEPTH
            raise ParseError(f"JSON parse error - {exc}") from None
        return data

    @staticmethod
    def _refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")
