"""Figures, places and dates in a sentence (English and Arabic), found with plain patterns."""

from __future__ import annotations

import re

ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    "hundred|hundreds|thousand|thousands|million|millions|dozens|dozen|half-million"
)
_UNITS = r"km|kilometres|kilometers|miles|mile|metres|meters|per ?cent|percent|%|million|billion|thousand|people"
FIGURE = re.compile(
    rf"(?:(?:more than|at least|about|some|nearly|almost|over|up to|an estimated)\s+)?"
    rf"(?:\d[\d,.]*(?:\s*(?:{_UNITS})\b)?(?:\s*\(\d[\d,.]*\s*(?:{_UNITS})\))?"
    rf"|tens of thousands|(?:\b(?:{_NUMBER_WORDS})\b)(?:\s+(?:{_UNITS})\b)?)",
    re.IGNORECASE,
)
ARABIC_FIGURE = re.compile(
    r"\d[\d,.]*\s*(?:كيلومترا|كيلومتر|كم|ألف|آلاف|مليون|ملايين|بالمئة)"
    r"|(?:عشرات|مئات|آلاف)\s+\S+|(?:خمسة|ثلاثة|أربعة|ستة|سبعة|ثمانية|تسعة|عشرة|اثنين|اثنان)\s+\S+"
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = re.compile(
    rf"\b(?:(?:on|last|this|next)\s+)?(?:{_WEEKDAYS})\b|\b\d{{1,2}}\s+(?:{_MONTHS})(?:\s+\d{{4}})?\b"
    rf"|\b(?:{_MONTHS})\s+\d{{1,2}}(?:,\s*\d{{4}})?\b|\b(?:in\s+)?(?:19|20)\d\d\b"
    r"|\b(?:last|this|next|past)\s+(?:week|weekend|month|year|night)\b|\byesterday\b|\btoday\b",
    re.IGNORECASE,
)
ARABIC_DATE = re.compile(
    r"(?:يوم\s+)?(?:ال)?(?:اثنين|ثلاثاء|أربعاء|خميس|جمعة|سبت|أحد)\b|الأسبوع الماضي|أمس|اليوم|عام\s+\d{4}"
)
# A capitalised name after a word that introduces a place.
PLACE = re.compile(
    r"\b(?:in|near|from|of|to|into|outside|around|at|towards|toward|on)\s+(?:the\s+)?"
    r"((?:[A-Z][\w'\u2019-]+)(?:\s+(?:al-)?[A-Z][\w'\u2019-]+)*)"
)
_AR_AREA = r"(?:مدينة|محافظة|بلدة|قرية|ريفي|ريف|شمال|جنوب|شرق|غرب)"
ARABIC_PLACE = re.compile(rf"(?:{_AR_AREA}|(?:في|قرب|من|على)(?:\s+{_AR_AREA})?)\s+((?:ال)?[\u0621-\u064a]{{3,}})")
_NOT_PLACES = {
    "Wednesday", "Tuesday", "Monday", "Thursday", "Friday", "Saturday", "Sunday", "The", "A", "An", "His", "Her",
    "Their", "Its", "Telegram", "UN", "Security", "Council",
}  # fmt: skip
_POSSESSIVE = re.compile(r"['\u2019]s$")
_TITLES = re.compile(r"\b(?:President|Minister|Leader|General|School|Programme|Department|Council)\b")
_ARABIC_NOT_PLACES = {"الذي", "التي", "الذين", "خلال", "قبل", "بعد", "جانب", "أجل", "دون", "حيث", "المعارضة", "القوات"}


def figures(sentence: str) -> list[str]:
    """Numbers with their units ("20km (12 miles)", "tens of thousands"); bare years are dates, not figures."""
    text = sentence.translate(ARABIC_DIGITS)
    found = [m.group(0) for m in ARABIC_FIGURE.finditer(text)]
    # Latin patterns only where an Arabic one did not already take the digits.
    taken = [m.span() for m in ARABIC_FIGURE.finditer(text)]
    found += [m.group(0) for m in FIGURE.finditer(text) if not any(a <= m.start() < b for a, b in taken)]
    cleaned = (f.strip().rstrip(".,;:") for f in found)
    return _unique(f for f in cleaned if f and not _YEAR.match(f))


def dates(sentence: str) -> list[str]:
    found = [m.group(0).strip() for m in DATE.finditer(sentence)]
    found += [m.group(0).strip() for m in ARABIC_DATE.finditer(sentence.translate(ARABIC_DIGITS))]
    return _unique(found)


def places(sentence: str) -> list[str]:
    """Capitalised names after "in", "near", "from"... and Arabic names after مدينة، في، قرب..."""
    found = []
    for match in PLACE.finditer(sentence):
        words = [w for w in match.group(1).split() if w not in _NOT_PLACES]
        if words and not _TITLES.search(" ".join(words)):
            found.append(_POSSESSIVE.sub("", " ".join(words)))
    for match in ARABIC_PLACE.finditer(sentence):
        if match.group(1) not in _ARABIC_NOT_PLACES:
            found.append(match.group(1))
    return _unique(p for p in found if p)


def _unique(items) -> list[str]:  # type: ignore[no-untyped-def]
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
