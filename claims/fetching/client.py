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

import os
import ssl
import time
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

import certifi
import urllib3
from django.conf import settings
from urllib3.exceptions import ConnectTimeoutError, HTTPError, NewConnectionError, ReadTimeoutError, SSLError
from urllib3.util.ssl_ import create_urllib3_context

from claims.fetching import politeness
from claims.fetching.errors import FetchBlocked, FetchError, FetchTooLarge
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


def _pool(target: Target, address: str) -> urllib3.HTTPConnectionPool:
    """A one-connection pool that dials ``address`` but speaks to ``target.host``."""
    if target.scheme == "https":
        # server_hostname sets SNI, assert_hostname makes urllib3 match the
        # certificate against the URL's host rather than the pinned address.
        return urllib3.HTTPSConnectionPool(
            address,
            target.port,
            maxsize=1,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            ssl_context=tls_context(),
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    return urllib3.HTTPConnectionPool(address, target.port, maxsize=1, retries=False)


def _read_capped(response: urllib3.BaseHTTPResponse, deadline: float) -> bytes:
    limit = settings.FETCH_MAX_BYTES
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchTooLarge(f"The page is {int(declared):,} bytes, over the {limit:,}-byte limit; not read.")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.stream(_CHUNK, decode_content=True):
        size += len(chunk)
        if size > limit:
            raise FetchTooLarge(f"The page went past the {limit:,}-byte limit; reading stopped there.")
        if time.monotonic() > deadline:
            raise FetchError(f"The page took longer than {settings.FETCH_TOTAL_TIMEOUT:g} s to arrive.")
        chunks.append(chunk)
    return b"".join(chunks)


def _get_once(target: Target, headers: dict[str, str], deadline: float, *, read_body: bool) -> FetchResponse:
    """One GET against the vetted addresses in turn (the first that accepts a connection)."""
    last_error: Exception | None = None
    for ip in target.addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        pool = _pool(target, str(ip))
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
            continue
        except ReadTimeoutError:
            pool.close()
            raise FetchError(f"No answer within {settings.FETCH_TOTAL_TIMEOUT:g} s.") from None
        except SSLError as exc:
            # Not retried on another address: the site itself is not trusted.
            pool.close()
            raise FetchError(f"The secure connection to {target.host} was refused: {_tls_reason(exc)}.") from None
        except HTTPError as exc:
            pool.close()
            raise FetchError(f"The connection failed: {exc.__class__.__name__}: {exc}") from None
        try:
            body = _read_capped(response, deadline) if read_body else b""
        except ReadTimeoutError:
            raise FetchError(f"The page took longer than {settings.FETCH_TOTAL_TIMEOUT:g} s to arrive.") from None
        except HTTPError as exc:
            raise FetchError(f"The page could not be read: {exc.__class__.__name__}: {exc}") from None
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
    if last_error is None:
        raise FetchError(f"No answer within {settings.FETCH_TOTAL_TIMEOUT:g} s.")
    raise FetchError(f"Could not connect to {target.host}: {last_error}")


def _tls_reason(exc: SSLError) -> str:
    """The readable part of a TLS failure ("self-signed certificate", "hostname ... doesn't match ...")."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    return str(getattr(inner, "verify_message", "") or inner).rstrip(".")


def _vet_destination(url: str) -> None:
    """Raise FetchBlocked if following ``url`` would be refused; a name that does not resolve is fine here."""
    try:
        resolve_target(parse_target(url))
    except FetchBlocked:
        raise
    except FetchError:
        pass


def fetch(url: str, *, etag: str = "", last_modified: str = "", stop_at_other_site: bool = False) -> FetchResponse:
    """GET ``url`` safely; follow up to MAX_REDIRECTS redirects, vetting every hop.

    With ``stop_at_other_site`` a redirect to another registrable domain is
    not followed: the redirect response comes back with ``moved_to`` set (a
    re-check only needs to know the page moved, and where, even when the new
    site is down or does not resolve). An unsafe destination still raises
    FetchBlocked.

    Raises FetchBlocked (unsafe URL or address, before any connection to it),
    politeness.HostBusy (the site must not be contacted yet), FetchTooLarge or
    FetchError. Any HTTP status, including 304, 404 and 429, is returned.
    """
    deadline = time.monotonic() + settings.FETCH_TOTAL_TIMEOUT
    headers = _request_headers(etag, last_modified)
    current = url
    redirects: list[str] = []
    for _hop in range(MAX_REDIRECTS + 1):
        target = resolve_target(parse_target(current))
        politeness.wait_for_turn(target.host)
        response = _get_once(target, headers, deadline, read_body=True)
        _note_politeness(target.host, response)
        if response.status in _REDIRECTS:
            location = response.headers.get("location", "").strip()
            if not location:
                raise FetchError(f"HTTP {response.status} redirect without a Location header.")
            current = urljoin(current, location)
            redirects.append(current)
            if stop_at_other_site and registrable_host(current) != registrable_host(url):
                _vet_destination(current)
                response.redirects, response.moved_to = redirects, current
                return response
            continue
        response.redirects = redirects
        return response
    raise FetchError(f"More than {MAX_REDIRECTS} redirects; stopped at {current}.")


def _note_politeness(host: str, response: FetchResponse) -> None:
    retry_after = politeness.parse_retry_after(response.headers.get("retry-after"))
    if response.status == 429 or (response.status == 503 and retry_after is not None):
        politeness.note_rate_limited(host, retry_after)
    elif response.status < 400:
        politeness.note_success(host)
