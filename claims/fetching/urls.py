"""Turning a URL into a target the fetcher may connect to, or a refusal.

Two URL parsers (the standard library's and urllib3's) must agree on the
host: SSRF tricks live in the places where parsers disagree. Backslashes,
user-info (``user@host``) and non-canonical IPv4 forms (``2130706433``,
``0x7f.1``, ``0177.0.0.1``) are refused before anything is resolved.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from tld import get_fld
from urllib3.util import parse_url

from claims.fetching.addresses import IPAddress, address_problem
from claims.fetching.errors import FetchBlocked, FetchError

_DEFAULT_PORTS = {"http": 80, "https": 443}
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)
_CANONICAL_OCTET = re.compile(r"^(0|[1-9][0-9]{0,2})$")
_FORBIDDEN_CHARS = re.compile(r"[\\\s\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Target:
    """A vetted URL: where to connect (``addresses``) and what to ask for."""

    url: str
    scheme: str
    host: str  # lower-case, IDNA-encoded, without IPv6 brackets
    port: int
    path: str  # path and query, as sent on the request line
    addresses: tuple[IPAddress, ...] = field(default=())

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == _DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


def _idna(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise FetchBlocked(f"The host name {host!r} is not a valid international domain name.") from None


def _check_ipv4_form(host: str) -> None:
    """Refuse decimal, hex, octal and shortened IPv4 forms that resolvers still accept."""
    labels = host.rstrip(".").split(".")
    if not _NUMERIC_LABEL.match(labels[-1]):
        return
    canonical = len(labels) == 4 and all(_CANONICAL_OCTET.match(label) and int(label) <= 255 for label in labels)
    if not canonical:
        raise FetchBlocked(f"The host {host!r} is a non-canonical IP address form; write it as a.b.c.d.")


def _check_literal_address(host: str, port: int) -> None:
    if host.rstrip(".") == "localhost" or host.rstrip(".").endswith(".localhost"):
        problem: str | None = f"{host} always names this machine (loopback)"  # RFC 6761
    else:
        try:
            problem = address_problem(ipaddress.ip_address(host))
        except ValueError:
            return  # another name: judged on what it resolves to, at each fetch
    if problem and not host_is_allowed(host, port):
        raise FetchBlocked(f"{host} is not a public address ({problem}).")


def host_is_allowed(host: str, port: int) -> bool:
    """Whether FETCH_ALLOWED_HOSTS names this host (any port) or this exact host:port.

    Entries are matched exactly, never by suffix or by resolved address, so
    allowing ``127.0.0.1:8000`` does not let a redirect reach ``127.0.0.1:6379``
    or ``localhost:8000``.
    """
    bracketed = f"[{host}]" if ":" in host else host
    names = {host, bracketed, f"{bracketed}:{port}"}
    return any(entry.strip().lower() in names for entry in settings.FETCH_ALLOWED_HOSTS)


def parse_target(url: str) -> Target:
    """Check a URL as the fetcher will always judge it and return its scheme, host, port and path.

    Refuses (``FetchBlocked``, with the reason) what no later DNS answer can
    make fetchable: bad syntax, user-info, parser disagreements, and a host
    written as an address that is not public. Names are resolved later, by
    ``resolve_target``, at every fetch.
    """
    if _FORBIDDEN_CHARS.search(url):
        raise FetchBlocked("The URL contains a backslash, whitespace or a control character.")
    try:
        split = urlsplit(url)
        parsed = parse_url(url)
        split_port = split.port
    except Exception as exc:  # ValueError, urllib3's LocationParseError and friends
        raise FetchBlocked(f"The URL cannot be parsed: {exc}.") from None
    scheme = (split.scheme or "").lower()
    if scheme not in _DEFAULT_PORTS:
        raise FetchBlocked(f"Only http and https URLs are fetched, not {scheme or 'a URL without a scheme'}.")
    if "@" in split.netloc or split.username is not None or parsed.auth:
        raise FetchBlocked("URLs with a user name or password (user@host) are not fetched.")
    if not split.hostname:
        raise FetchBlocked("The URL has no host.")
    host = _idna(split.hostname)
    other = (parsed.host or "").lower().strip("[]")
    if host != other or (parsed.scheme or "").lower() != scheme or (parsed.port or None) != split_port:
        raise FetchBlocked(f"The URL is ambiguous: parsers disagree on its host ({host!r} vs {other!r}).")
    port = split_port or _DEFAULT_PORTS[scheme]
    if ":" not in host:
        _check_ipv4_form(host)
    _check_literal_address(host, port)
    path = split.path or "/"
    if split.query:
        path = f"{path}?{split.query}"
    return Target(url=url, scheme=scheme, host=host, port=port, path=path)


def url_refusal(url: str) -> str | None:
    """Why the fetcher will always refuse ``url``, or None when it may fetch it (subject to DNS)."""
    try:
        parse_target(url)
    except FetchBlocked as exc:
        return str(exc)
    return None


# The general shape of a web address, for what the fetcher's own rules leave open (a host without a dot).
_WEB_ADDRESS = URLValidator(
    schemes=["http", "https"], message="Enter a complete web address, such as https://example.org/page."
)


def validate_fetchable_url(value: str) -> None:
    """Django validator for every URL the desk wants re-checked: the fetcher's own rules, with the reason.

    The source model field, and through it the admin and the API, use this;
    the fetcher applies the same ``parse_target`` at every fetch.
    """
    problem = url_refusal(value)
    if problem:
        raise ValidationError(f"Re-checks could never read this address: {problem}", code="unfetchable")
    _WEB_ADDRESS(value)


def resolve_target(target: Target) -> Target:
    """Resolve the host and vet every address; the fetcher then connects only to these.

    A host in FETCH_ALLOWED_HOSTS skips the address check (tests and local
    demos); any other host must resolve only to public addresses, so a name
    with one private record among public ones is refused as a whole.
    """
    try:
        literal: IPAddress | None = ipaddress.ip_address(target.host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses: list[IPAddress] = [literal]
    else:
        try:
            infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(f"The host {target.host} does not resolve ({exc}).") from None
        addresses = []
        for _family, _type, _proto, _canon, sockaddr in infos:
            ip = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
            if ip not in addresses:
                addresses.append(ip)
    if not host_is_allowed(target.host, target.port):
        for ip in addresses:
            problem = address_problem(ip)
            if problem and literal is not None:
                raise FetchBlocked(f"{target.host} is not a public address ({problem}).")
            if problem:
                raise FetchBlocked(f"{target.host} resolves to a forbidden address ({problem}).")
    return Target(
        url=target.url,
        scheme=target.scheme,
        host=target.host,
        port=target.port,
        path=target.path,
        addresses=tuple(addresses),
    )


def registrable_host(url: str) -> str:
    """The registrable domain of a URL's host (``www.bbc.co.uk`` → ``bbc.co.uk``); IPs and bare names as-is."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    # The bundled public-suffix list: nothing is downloaded at run time.
    return get_fld(host, fix_protocol=True, fail_silently=True) or host
