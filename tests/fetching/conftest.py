"""Fixtures for fetcher tests: local servers and safe test settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fetching import tls
from tests.fetching.servers import PageServer, forget_politeness


@pytest.fixture(autouse=True)
def fetch_settings(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    # Nothing allowed unless a test says so; short limits keep failure cases quick.
    settings.FETCH_ALLOWED_HOSTS = []
    settings.FETCH_MIN_SPACING = 0
    settings.FETCH_TOTAL_TIMEOUT = 2.0
    settings.FETCH_CONNECT_TIMEOUT = 1.0
    settings.FETCH_MAX_BYTES = 256 * 1024
    forget_politeness()
    yield
    forget_politeness()


@pytest.fixture
def pages() -> Iterator[PageServer]:
    with PageServer() as server:
        yield server


@pytest.fixture
def forbidden() -> Iterator[PageServer]:
    """A server on a loopback port the fetcher must never reach; it counts connections."""
    with PageServer() as server:
        yield server


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory: pytest.TempPathFactory) -> tls.Authority:
    """A throwaway CA made for this test run; the fetcher trusts it only where FETCH_CA_BUNDLE names it."""
    return tls.make_authority(tmp_path_factory.mktemp("tls") / "ca")


@pytest.fixture(scope="session")
def tls_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tls-certs")


@pytest.fixture(scope="session")
def localhost_cert(test_ca: tls.Authority, tls_dir: Path) -> tls.ServerCert:
    # For the name only, no IP address: it verifies only if the fetcher checks the URL's host.
    return tls.issue(test_ca, tls_dir / "localhost", "localhost")


@pytest.fixture
def https_pages(settings, test_ca: tls.Authority, localhost_cert: tls.ServerCert) -> Iterator[PageServer]:  # type: ignore[no-untyped-def]
    """An HTTPS server on 127.0.0.1 presenting a ``localhost`` certificate from the CA FETCH_CA_BUNDLE names."""
    settings.FETCH_CA_BUNDLE = str(test_ca.cert)
    with PageServer(tls=localhost_cert.context()) as server:
        yield server
