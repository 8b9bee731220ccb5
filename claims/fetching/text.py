"""From response bytes to the normalised main text and its hash."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import trafilatura

from claims.fetching.encodings import decode_page

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space
    }
)
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


class UnreadableContent(Exception):
    """The response is not text the tracker can compare (an image, a PDF, an empty page)."""


def normalise_text(text: str) -> str:
    """Unicode-compose, straighten quotes and dashes, collapse runs of whitespace."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def extract_main_text(body: bytes, content_type: str) -> str:
    """The page's main text (boilerplate removed), normalised; raises UnreadableContent."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in ("", "text/html", "application/xhtml+xml"):
        html = decode_page(body, content_type).text
        # Boilerplate-free article text first; whole-page text when the
        # extractor finds no article (short pages, listings).
        text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
        if not text:
            text = trafilatura.html2txt(html)
    elif kind.startswith("text/") or kind in ("application/json", "application/xml"):
        text = decode_page(body, content_type, html=False).text
    else:
        raise UnreadableContent(f"The source answered with {kind}, which cannot be read as text.")
    text = normalise_text(text or "")
    if not text:
        raise UnreadableContent("The page has no readable text.")
    return text
