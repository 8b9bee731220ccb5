"""Fixtures for intake tests: the fetcher's local page server and safe fetch settings, reused."""

from __future__ import annotations

from tests.fetching.conftest import fetch_settings, pages  # noqa: F401 (fixtures)
