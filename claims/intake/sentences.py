"""Splitting an article into paragraphs and sentences, in English and Arabic."""

from __future__ import annotations

import re
import unicodedata

ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
_ABBREVIATIONS = (
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Gen",
    "Col",
    "Lt",
    "Sgt",
    "Capt",
    "Prof",
    "St",
    "No",
    "vs",
    "U.S",
    "U.N",
    "U.K",
)
# A sentence ends at . ! ? or the Arabic question mark, optionally followed by a
# closing quote, before whitespace and a capital, a digit, an opening quote or an
# Arabic letter.
_BOUNDARY = re.compile(
    r"(?<=[.!?\u061f])([\"'\u201d\u2019\u00bb]?)\s+(?=[\"'\u201c\u2018\u00ab(]?[A-Z0-9\u0600-\u06ff])"
)
_ABBREV_END = re.compile(r"(?:^|\s)(?:" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + r")\.$")


def language_of(text: str) -> str:
    """'ar' when most letters are Arabic, otherwise 'en'."""
    letters = [c for c in text[:5000] if c.isalpha()]
    if not letters:
        return "en"
    arabic = sum(1 for c in letters if ARABIC_LETTER.match(c))
    return "ar" if arabic * 2 > len(letters) else "en"


def paragraphs(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [line.strip() for line in text.split("\n") if line.strip()]


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of one paragraph; abbreviations such as "Dr." do not end one."""
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        candidate = paragraph[start : match.end(1)].strip()
        if _ABBREV_END.search(candidate):
            continue
        pieces.append(candidate)
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces


def is_heading(paragraph: str) -> bool:
    """A short line without a full stop (a crosshead such as "Fierce battles near Hama")."""
    return len(paragraph.split()) <= 8 and not re.search(r"[.!?\u061f:]\s*[\"'\u201d\u2019]?$", paragraph)
