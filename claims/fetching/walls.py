"""Recognising bot walls and login walls, which make a page unverifiable rather than gone."""

from __future__ import annotations

from collections.abc import Mapping

_CHALLENGE_MARKERS = (
    b"just a moment...",
    b"cf-chl",
    b"challenge-platform",
    b"attention required! | cloudflare",
    b"checking your browser",
    b"ddos-guard",
    b"captcha-delivery",
    b"px-captcha",
    b"/_incapsula_resource",
    b"please enable js and disable any ad blocker",
)
_WALL_STATUSES = {401, 403, 429, 503}


def detect_wall(status: int, headers: Mapping[str, str], body: bytes) -> str | None:
    """Why this response is a bot or login wall, or None when it is the page itself."""
    mitigated = headers.get("cf-mitigated", "").lower()
    if mitigated == "challenge":
        return "a Cloudflare challenge (cf-mitigated: challenge) stands in front of the page"
    if status not in _WALL_STATUSES:
        return None
    head = body[:65536].lower()
    for marker in _CHALLENGE_MARKERS:
        if marker in head:
            return f"a bot-check page answered with HTTP {status} ({marker.decode()!r} in the page)"
    if status == 401 or "www-authenticate" in {k.lower() for k in headers}:
        return f"the page needs a login (HTTP {status})"
    if status == 403:
        return "the site refused access (HTTP 403); a person can check it in a browser"
    return None
