"""A fetch classified: what the site's answer means, so callers never read HTTP codes themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from claims.fetching.client import fetch
from claims.fetching.errors import FetchBlocked, FetchError, FetchTooLarge, FetchTooSlow
from claims.fetching.politeness import parse_retry_after
from claims.fetching.walls import detect_wall


class Answer(StrEnum):
    PAGE = "page"  # a 2xx with a body to read
    NOT_MODIFIED = "not_modified"
    GONE = "gone"  # 404, or 410 (``on_purpose``)
    MOVED = "moved"  # redirects to another registrable domain
    RATE_LIMITED = "rate_limited"
    WALL = "wall"  # a bot check or a login stands in front of the page
    TOO_LARGE = "too_large"
    TOO_SLOW = "too_slow"
    BLOCKED = "blocked"  # an address the fetcher may not reach, at the start or after a redirect
    FAILED = "failed"  # network, TLS or protocol failure, or another HTTP error status


@dataclass
class PageResult:
    answer: Answer
    reason: str
    status: int | None = None
    url: str = ""  # the final URL, the redirect's destination when moved, or the refused hop
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    retry_after: float | None = None  # seconds, when rate limited
    on_purpose: bool = False  # a 410: the site removed the page deliberately


def fetch_page(url: str, *, etag: str = "", last_modified: str = "") -> PageResult:
    """Fetch ``url`` for a re-check (not following a redirect to another site) and classify the answer.

    politeness.HostBusy still propagates: nothing was asked of the site.
    """
    try:
        response = fetch(url, etag=etag, last_modified=last_modified, stop_at_other_site=True)
    except FetchBlocked as exc:
        return PageResult(Answer.BLOCKED, str(exc), status=exc.status, url=exc.url)
    except FetchTooLarge as exc:
        return PageResult(Answer.TOO_LARGE, str(exc))
    except FetchTooSlow as exc:
        return PageResult(Answer.TOO_SLOW, str(exc))
    except FetchError as exc:
        return PageResult(Answer.FAILED, str(exc))
    result = PageResult(Answer.FAILED, "", response.status, response.url, response.headers, response.body)
    status = response.status
    wall = detect_wall(status, response.headers, response.body)
    if wall:
        result.answer, result.reason = Answer.WALL, f"Could not read the page: {wall}."
    elif response.moved_to:
        result.answer, result.url = Answer.MOVED, response.moved_to
        result.reason = f"The page now redirects to another site: {response.moved_to}"
    elif status == 304:
        result.answer, result.reason = Answer.NOT_MODIFIED, "The site says the page has not changed (304)."
    elif status == 410:
        result.answer, result.on_purpose = Answer.GONE, True
        result.reason = "The page is gone on purpose (HTTP 410)."
    elif status == 404:
        result.answer, result.reason = Answer.GONE, "The page is gone (HTTP 404)."
    elif status == 429:
        result.answer, result.reason = Answer.RATE_LIMITED, "The site asked us to slow down (HTTP 429)."
        result.retry_after = parse_retry_after(response.headers.get("retry-after"))
    elif not 200 <= status < 300:
        result.reason = f"The site answered HTTP {status}."
    else:
        result.answer = Answer.PAGE
    return result
