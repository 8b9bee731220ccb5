"""What can go wrong with a fetch, from the caller's point of view."""

from __future__ import annotations


class FetchBlocked(Exception):
    """The URL or an address it resolves to is not one the fetcher may reach; nothing was connected."""


class FetchError(Exception):
    """The page could not be fetched (DNS, network, timeout, protocol); worth trying again later."""


class FetchTooLarge(FetchError):
    """The response went past FETCH_MAX_BYTES; reading stopped there."""
