"""Headers that let browsers and a CDN keep public pages, and revalidate them cheaply.

Public views never read the session or the user, so no response carries a
cookie or ``Vary: Cookie``: every reader gets the same bytes. The ETag is a
hash of those bytes, so a conditional request answers 304 exactly when the
page is unchanged.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date


def cacheable(
    request: HttpRequest, content: bytes | str, *, content_type: str, last_modified: datetime | None
) -> HttpResponse:
    """A public, cacheable response, or 304 when the client's copy is current."""
    body = content.encode() if isinstance(content, str) else content
    response = HttpResponse(body, content_type=content_type)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response["ETag"] = etag
    timestamp = int(last_modified.timestamp()) if last_modified is not None else None
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PUBLIC_MAX_AGE,
        s_maxage=settings.PUBLIC_SHARED_MAX_AGE,
    )
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
