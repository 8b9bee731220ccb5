"""Fetching web pages safely and comparing their text: knows URLs and bytes, not claims."""

from __future__ import annotations

from claims.fetching.client import FetchError, FetchResponse, FetchTooLarge, fetch
from claims.fetching.politeness import HostBusy
from claims.fetching.quotes import QuoteCheck, check_quote
from claims.fetching.text import UnreadableContent, body_hash, extract_main_text, normalise_text, text_hash
from claims.fetching.urls import FetchBlocked, registrable_host
from claims.fetching.walls import detect_wall

__all__ = [
    "FetchBlocked",
    "FetchError",
    "FetchResponse",
    "FetchTooLarge",
    "HostBusy",
    "QuoteCheck",
    "UnreadableContent",
    "body_hash",
    "check_quote",
    "detect_wall",
    "extract_main_text",
    "fetch",
    "normalise_text",
    "registrable_host",
    "text_hash",
]
