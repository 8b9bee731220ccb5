"""The safe fetcher: one GET, redirects followed by hand, each hop re-vetted.

Client choice (measured with bench/http_clients.py, figures in
docs/benchmarks.md): urllib3 was the fastest synchronous client on this
machine (about 2x requests and httpx in threads); only aiohttp was faster, and
an event loop buys nothing inside a prefork Celery task that fetches one page
spaced seconds apart from the last. urllib3 also lets us pin the connection:
the pool connects to the vetted IP address while sending the original Host
header and TLS server name, so a DNS answer that changes between our check and
the connection (DNS rebinding) cannot redirect us. Using urllib3 directly also
means no proxy environment variables are ever consulted.

HTTPS: the certificate chain is verified against FETCH_CA_BUNDLE (certifi's
bundle when empty) and the certificate must name the URL's host, never the
address we dialled; the server name (SNI) sent is the URL's host too.
"""

from __future__ import annotations

import contextlib
import os
import ssl
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

import certifi
import urllib3
from django.conf import settings
from urllib3.exceptions import ConnectTimeoutError, HTTPError, NewConnectionError, ReadTimeoutError, SSLError
from urllib3.util.ssl_ import create_urllib3_context

from claims.fetching import politeness
from claims.fetching.deadline import Deadline
from claims.fetching.errors import FetchBlocked, FetchError, FetchTooLarge, FetchTooSlow
from claims.fetching.urls import Target, parse_target, registrable_host, resolve_target

MAX_REDIRECTS = 5
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024


@dataclass
class FetchResponse:
    status: int
    url: str  # the final URL after redirects
    headers: dict[str, str]  # lower-case names
    body: bytes
    redirects: list[str] = field(default_factory=list)
    # Set when the fetch stopped at a redirect to another site (``stop_at_other_site``).
    moved_to: str = ""


def _request_headers(etag: str, last_modified: str) -> dict[str, str]:
    headers = {
        "User-Agent": settings.FETCH_USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


@lru_cache(maxsize=4)
def _verifying_context(bundle: str, _version: int) -> ssl.SSLContext:
    # Loading certifi's bundle costs about 20 ms; build the context once per
    # bundle file and version (its mtime), so a replaced bundle is picked up.
    context = create_urllib3_context(cert_reqs=ssl.CERT_REQUIRED)
    if os.path.isdir(bundle):
        context.load_verify_locations(capath=bundle)
    else:
        context.load_verify_locations(cafile=bundle)
    return context


def tls_context() -> ssl.SSLContext:
    """The SSLContext HTTPS fetches verify with: FETCH_CA_BUNDLE, or certifi's bundle when that is empty.

    Raises FetchError when the bundle cannot be read, so the check records why.
    """
    bundle = settings.FETCH_CA_BUNDLE or certifi.where()
    try:
        return _verifying_context(bundle, os.stat(bundle).st_mtime_ns)
    except (OSError, ssl.SSLError) as exc:
        raise FetchError(f"The CA bundle {bundle} (FETCH_CA_BUNDLE) cannot be loaded: {exc}.") from None


class _Watched:
    """A pool whose new connections the fetch's deadline watches (to cut them off when it passes)."""

    deadline: Deadline

    def _new_conn(self):  # type: ignore[no-untyped-def]
        connection = super()._new_conn()  # type: ignore[misc]
        self.deadline.watch(connection)
        return connection


class _HTTPPool(_Watched, urllib3.HTTPConnectionPool):
    pass


class _HTTPSPool(_Watched, urllib3.HTTPSConnectionPool):
    pass


def _pool(target: Target, address: str, deadline: Deadline) -> urllib3.HTTPConnectionPool:
    """A one-connection pool that dials ``address`` but speaks to ``target.host``."""
    pool: _HTTPPool | _HTTPSPool
    if target.scheme == "https":
        # server_hostname sets SNI, assert_hostname makes urllib3 match the
        # certificate against the URL's host rather than the pinned address.
        pool = _HTTPSPool(
            address,
            target.port,
            maxsize=1,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            ssl_context=tls_context(),
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    else:
        pool = _HTTPPool(address, target.port, maxsize=1, retries=False)
    pool.deadline = deadline
    return pool


def too_slow() -> FetchTooSlow:
    return FetchTooSlow(f"Too slow: nothing complete within {settings.FETCH_TOTAL_TIMEOUT:g} s.")


def _read_capped(response: urllib3.BaseHTTPResponse, deadline: Deadline) -> bytes:
    limit = settings.FETCH_MAX_BYTES
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchTooLarge(
            f"Too large to check automatically: the page is {int(declared):,} bytes, over the "
            f"{limit:,}-byte limit; not read (raise FETCH_MAX_BYTES to check it)."
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.stream(_CHUNK, decode_content=True):
        size += len(chunk)
        if size > limit:
            raise FetchTooLarge(
                f"Too large to check automatically: the page went past the {limit:,}-byte limit; "
                f"reading stopped there (raise FETCH_MAX_BYTES to check it)."
            )
        if deadline.passed:
            raise too_slow()
        chunks.append(chunk)
    if deadline.fired:
        # Cut off mid-headers, http.client may take the shut-down socket's EOF for their end.
        raise too_slow()
    return b"".join(chunks)


def _get_once(target: Target, headers: dict[str, str], deadline: Deadline) -> FetchResponse:
    """One GET against the vetted addresses in turn (the first that accepts a connection)."""
    last_error: Exception | None = None
    for ip in target.addresses:
        remaining = deadline.remaining()
        if remaining <= 0:
            break
        pool = _pool(target, str(ip), deadline)
        timeout = urllib3.Timeout(connect=min(settings.FETCH_CONNECT_TIMEOUT, remaining), read=remaining)
        try:
            response = pool.urlopen(
                "GET",
                target.path,
                headers={**headers, "Host": target.host_header},
                redirect=False,
                retries=False,
                preload_content=False,
                assert_same_host=False,
                timeout=timeout,
            )
        except (NewConnectionError, ConnectTimeoutError) as exc:
            last_error = exc
            pool.close()
            if deadline.passed:
                break
            continue
        except HTTPError as exc:
            pool.close()
            raise _failure(exc, target, deadline, reading=False) from None
        try:
            body = _read_capped(response, deadline)
        except HTTPError as exc:
            raise _failure(exc, target, deadline, reading=True) from None
        finally:
            response.release_conn()
            response.close()
            pool.close()
        return FetchResponse(
            status=response.status,
            url=target.url,
            headers={k.lower(): v for k, v in response.headers.items()},
            body=body,
        )
    if last_error is None or deadline.passed:
        raise too_slow()
    raise FetchError(f"Could not connect to {target.host}: {last_error}")


def _failure(exc: HTTPError, target: Target, deadline: Deadline, *, reading: bool) -> FetchError:
    """The error to report for a failed request or read: past the deadline, whatever broke, it is "too slow"."""
    if deadline.passed or isinstance(exc, ReadTimeoutError):
        return too_slow()
    if isinstance(exc, SSLError):
        # Not retried on another address: the site itself is not trusted.
        return FetchError(f"The secure connection to {target.host} was refused: {_tls_reason(exc)}.")
    if reading:
        return FetchError(f"The page could not be read: {exc.__class__.__name__}: {exc}")
    return FetchError(f"The connection failed: {exc.__class__.__name__}: {exc}")


def _tls_reason(exc: SSLError) -> str:
    """The readable part of a TLS failure ("self-signed certificate", "hostname ... doesn't match ...")."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    return str(getattr(inner, "verify_message", "") or inner).rstrip(".")


def _vet_hop(source: str, destination: str, status: int) -> Target:
    """Parse, resolve and vet a redirect's destination; a refusal says where the redirect came from and led.

    Raises FetchBlocked (naming the hop) or FetchError (the name does not resolve).
    """
    try:
        return resolve_target(parse_target(destination))
    except FetchBlocked as exc:
        raise FetchBlocked(
            f"The page redirected from {source} to {destination}; the hop was refused because {_lower_first(exc)}",
            url=destination,
            status=status,
        ) from None


def _lower_first(exc: Exception) -> str:
    # "127.0.0.1 is not a public address" reads on as it is; "The URL ..." becomes "the URL ...".
    text = str(exc)
    return text[0].lower() + text[1:] if text.startswith(("The ", "Only ", "URLs ")) else text


def fetch(url: str, *, etag: str = "", last_modified: str = "", stop_at_other_site: bool = False) -> FetchResponse:
    """GET ``url`` safely; follow up to MAX_REDIRECTS redirects, vetting every hop.

    With ``stop_at_other_site`` a redirect to another registrable domain is
    not followed: the redirect response comes back with ``moved_to`` set (a
    re-check only needs to know the page moved, and where, even when the new
    site is down or does not resolve). An unsafe destination still raises
    FetchBlocked, which then names the redirect and the refused hop.

    FETCH_TOTAL_TIMEOUT is a wall-clock deadline over every hop's connect,
    headers and body (see ``deadline``); past it FetchTooSlow is raised.

    Raises FetchBlocked (unsafe URL or address, before any connection to it),
    politeness.HostBusy (the site must not be contacted yet), FetchTooLarge,
    FetchTooSlow or FetchError. Any HTTP status, including 304, 404 and 429, is returned.
    """
    headers = _request_headers(etag, last_modified)
    current = url
    redirects: list[str] = []
    target = resolve_target(parse_target(current))
    with Deadline(settings.FETCH_TOTAL_TIMEOUT) as deadline:
        for _hop in range(MAX_REDIRECTS + 1):
            politeness.wait_for_turn(target.host)
            response = _get_once(target, headers, deadline)
            _note_politeness(target.host, response)
            if response.status not in _REDIRECTS:
                response.redirects = redirects
                return response
            location = response.headers.get("location", "").strip()
            if not location:
                raise FetchError(f"HTTP {response.status} redirect without a Location header.")
            previous, current = current, urljoin(current, location)
            redirects.append(current)
            if stop_at_other_site and registrable_host(current) != registrable_host(url):
                # Only a refused address matters here: a name that does not resolve still moved there.
                with contextlib.suppress(FetchError):
                    _vet_hop(previous, current, response.status)
                response.redirects, response.moved_to = redirects, current
                return response
            target = _vet_hop(previous, current, response.status)
    raise FetchError(f"More than {MAX_REDIRECTS} redirects; stopped at {current}.")


def _note_politeness(host: str, response: FetchResponse) -> None:
    retry_after = politeness.parse_retry_after(response.headers.get("retry-after"))
    if response.status == 429 or (response.status == 503 and retry_after is not None):
        politeness.note_rate_limited(host, retry_after)
    elif response.status < 400:
        politeness.note_success(host)
