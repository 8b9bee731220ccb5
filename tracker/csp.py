"""Content-Security-Policy: django-csp's middleware, with the API docs pages' one exception.

The policy itself is ``CONTENT_SECURITY_POLICY`` in settings: scripts and style
sheets from this site only, no inline script anywhere. Swagger UI and ReDoc
(drf-spectacular's templates, behind a login) carry inline ``<style>`` blocks,
and ReDoc loads Google Fonts and runs a blob: worker, so those two pages get
exactly that added and nothing else; inline script stays refused there too.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

API_DOCS_PREFIXES = ("/api/docs/", "/api/redoc/")
API_DOCS_UPDATE = {
    "style-src": ["'unsafe-inline'", "https://fonts.googleapis.com"],
    "font-src": ["https://fonts.gstatic.com"],
    "worker-src": ["blob:"],
}


class TrackerCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(API_DOCS_PREFIXES) and parts.update is None:
            parts.update = API_DOCS_UPDATE
        return parts
