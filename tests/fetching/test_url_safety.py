"""The SSRF guard: unsafe URLs and addresses are refused, recorded as blocked, and never connected to."""

from __future__ import annotations

import ipaddress

import pytest

from claims.fetching.addresses import address_problem
from claims.models import Source
from claims.services.checking import source_check_now
from tests.factories import SourceFactory
from tests.fetching.servers import article

# URLs the fetcher must always refuse; input validation refuses the same ones (test_url_input.py).
UNSAFE_URL_TEMPLATES = [
    "file:///etc/passwd",
    "gopher://127.0.0.1:{port}/_stats",
    "ftp://127.0.0.1:{port}/",
    "http://127.0.0.1:{port}/",
    "http://localhost:{port}/",
    "http://[::1]:{port}/",
    "http://[::ffff:127.0.0.1]:{port}/",
    "http://[::ffff:7f00:1]:{port}/",
    "http://2130706433:{port}/",
    "http://0x7f000001:{port}/",
    "http://0x7f.0.0.1:{port}/",
    "http://0177.0.0.1:{port}/",
    "http://127.1:{port}/",
    "http://news.example@127.0.0.1:{port}/",
    "http://127.0.0.1:{port}\\@news.example/",
    "http://news.example\\@127.0.0.1:{port}/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://100.64.0.1/",
    "http://[::ffff:100.64.0.1]/",
    "http://[64:ff9b::7f00:1]:{port}/",
    "http://[2002:7f00:1::]:{port}/",
    "http://example.com@127.0.0.1/",
    "http://127.0.0.1\\@example.com/",
]


def check(url: str):  # type: ignore[no-untyped-def]
    source = SourceFactory(url=url)
    result = source_check_now(source_id=source.pk)
    source.refresh_from_db()
    return result, source


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "::1",
        "0.0.0.0",
        "::",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:100.64.0.1",
        "64:ff9b::7f00:1",
        "64:ff9b::a00:1",
        "64:ff9b:1::808:808",
        "2002:7f00:1::",
        "2002:a9fe:a9fe::1",
        "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo wrapping 127.0.0.1
        "::127.0.0.1",
    ],
)
def test_forbidden_addresses_are_named(address: str) -> None:
    assert address_problem(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "2002:808:808::1"])
def test_public_addresses_pass(address: str) -> None:
    assert address_problem(ipaddress.ip_address(address)) is None


@pytest.mark.django_db
@pytest.mark.parametrize("template", UNSAFE_URL_TEMPLATES)
def test_unsafe_urls_are_blocked_without_a_connection(forbidden, template: str) -> None:
    # given a server on loopback that nothing is allowed to reach
    url = template.format(port=forbidden.port)

    # when
    result, source = check(url)

    # then
    assert result.outcome == Source.Outcome.BLOCKED, result.reason
    assert source.last_outcome == Source.Outcome.BLOCKED
    assert source.consecutive_failures == 1
    assert forbidden.connections == 0


@pytest.mark.django_db
def test_allowed_host_and_port_is_fetched(settings, pages) -> None:
    # given: the allow list names this exact host:port (proves the guard is not refusing everything)
    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{pages.port}"]
    url = pages.set("/story", body=article())

    # when
    result, source = check(url)

    # then
    assert result.outcome == Source.Outcome.CHANGED
    assert pages.hits["/story"] == 1
    assert source.snapshots.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{forbidden}/",  # same host, other port: not in the allow list
        "http://localhost:{forbidden}/",
        "http://localhost:{allowed}/other",  # allowed port, but a name the list does not hold
        "http://[::ffff:127.0.0.1]:{forbidden}/",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
    ],
)
def test_redirect_from_allowed_host_to_forbidden_target_is_blocked(settings, pages, forbidden, target: str) -> None:
    # given an allowed page that redirects somewhere private
    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{pages.port}"]
    pages.set("/other", body=article())
    url = pages.redirect("/story", target.format(forbidden=forbidden.port, allowed=pages.port))

    # when
    result, _source = check(url)

    # then: the first hop happened, the second never connected
    assert result.outcome == Source.Outcome.BLOCKED, result.reason
    assert pages.hits["/story"] == 1
    assert pages.hits["/other"] == 0
    assert forbidden.connections == 0


@pytest.mark.django_db
def test_allow_list_entry_without_port_allows_any_port_of_that_name_only(settings, pages, forbidden) -> None:
    # given "127.0.0.1" (no port) in the list: both local servers are reachable by that name
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    pages.redirect("/story", forbidden.set("/page", body=article()))

    # when
    result, _ = check(pages.url("/story"))
    blocked, _ = check(forbidden.url("/page", host="localhost"))

    # then
    assert result.outcome == Source.Outcome.CHANGED
    assert blocked.outcome == Source.Outcome.BLOCKED
    assert forbidden.hits["/page"] == 1


@pytest.mark.django_db
def test_connection_is_pinned_but_speaks_the_original_host(settings, pages) -> None:
    # given a host name in the allow list
    settings.FETCH_ALLOWED_HOSTS = [f"localhost:{pages.port}"]
    pages.set("/story", body=article())

    # when
    result, _ = check(pages.url("/story", host="localhost"))

    # then: the server saw the name, not the address we connected to, and our honest agent
    assert result.outcome == Source.Outcome.CHANGED, result.reason
    seen = pages.request_headers["/story"][0]
    assert seen["host"] == f"localhost:{pages.port}"
    assert seen["user-agent"].startswith("ClaimTracker/")


@pytest.mark.django_db
def test_too_many_redirects_is_an_error(settings, pages) -> None:
    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{pages.port}"]
    for hop in range(7):
        pages.redirect(f"/hop{hop}", pages.url(f"/hop{hop + 1}"))

    result, _ = check(pages.url("/hop0"))

    assert result.outcome == Source.Outcome.ERROR
    assert "redirects" in result.reason
    assert pages.hits["/hop6"] == 0
