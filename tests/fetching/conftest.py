"""Fixtures for fetcher tests: local servers and safe test settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

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
