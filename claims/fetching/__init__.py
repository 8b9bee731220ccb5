"""Fetching web pages safely and comparing their text: knows URLs and bytes, not claims."""

from __future__ import annotations

from claims.fetching.client import FetchResponse, fetch
from claims.fetching.encodings import Decoded, decode_page
from claims.fetching.errors import FetchBlocked, FetchError, FetchTooLarge, FetchTooSlow
from claims.fetching.politeness import HostBusy, parse_retry_after
from claims.fetching.quotes import QuoteCheck, check_quote
from claims.fetching.results import Answer, PageResult, fetch_page
from claims.fetching.text import UnreadableContent, body_hash, extract_main_text, normalise_text, text_hash
from claims.fetching.urls import registrable_host
from claims.fetching.walls import detect_wall

__all__ = [
    "Answer",
    "Decoded",
    "FetchBlocked",
    "FetchError",
    "FetchResponse",
    "FetchTooLarge",
    "FetchTooSlow",
    "HostBusy",
    "PageResult",
    "QuoteCheck",
    "UnreadableContent",
    "body_hash",
    "check_quote",
    "decode_page",
    "detect_wall",
    "extract_main_text",
    "fetch",
    "fetch_page",
    "normalise_text",
    "parse_retry_after",
    "registrable_host",
    "text_hash",
]
