"""What can go wrong with a fetch, from the caller's point of view."""

from __future__ import annotations


class FetchBlocked(Exception):
    """The URL or an address it resolves to is not one the fetcher may reach; nothing was connected.

    When a redirect led there, ``url`` is the refused destination and
    ``status`` the HTTP status of the redirect that pointed at it.
    """

    def __init__(self, message: str, *, url: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class FetchError(Exception):
    """The page could not be fetched (DNS, network, protocol); worth trying again later."""


class FetchTooLarge(FetchError):
    """The response went past FETCH_MAX_BYTES; reading stopped there."""


class FetchTooSlow(FetchError):
    """Nothing complete arrived before the FETCH_TOTAL_TIMEOUT deadline, however the sender trickled."""
