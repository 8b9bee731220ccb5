"""Content-Security-Policy: django-csp's middleware, with the few pages that need more.

The policy itself is ``CONTENT_SECURITY_POLICY`` in settings: scripts and style
sheets from this site only, no inline script anywhere, no framing. Additions,
none of which lets a script run:

- Swagger UI and ReDoc (``/api/docs/``, ``/api/redoc/``, drf-spectacular's
  templates, behind a login) carry inline ``<style>`` blocks, and ReDoc loads
  Google Fonts and runs a ``blob:`` worker;
- the public reader pages (``/facts/``) carry their styles inline;
- a response exempted from X-Frame-Options (the embeddable badge) may be
  framed by any site under the CSP too.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

INLINE_STYLES = {"style-src": ["'unsafe-inline'"]}
PATH_UPDATES: tuple[tuple[tuple[str, ...], dict[str, list[str]]], ...] = (
    (
        ("/api/docs/", "/api/redoc/"),
        {
            "style-src": ["'unsafe-inline'", "https://fonts.googleapis.com"],
            "font-src": ["https://fonts.gstatic.com"],
            "worker-src": ["blob:"],
        },
    ),
    (("/facts/",), INLINE_STYLES),
)


class TrackerCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if parts.update is None:
            for prefixes, update in PATH_UPDATES:
                if request.path_info.startswith(prefixes):
                    parts.update = update
                    break
        if parts.replace is None and getattr(response, "xframe_options_exempt", False):
            parts.replace = {"frame-ancestors": None}  # no directive: any page may frame it
        return parts
