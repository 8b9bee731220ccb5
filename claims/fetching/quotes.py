"""Is a quoted passage still in a text, edited, or gone?

Exact search first (after normalising case, whitespace, quotes and dashes);
then the best-matching window of words, compared with difflib on word tokens
so the report can say *what* changed: a figure ("20 km" became "10 km"), a
date, a name, or an inserted "not" that a fuzzy score alone would hide.
Arabic is compared folded (claims/fetching/arabic.py): digits, diacritics,
tatweel and letter variants do not count as edits; reports quote the words
as written, and Arabic negations are named like English ones.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from claims.fetching.arabic import WORD, fold_arabic, is_arabic_negation, is_negating_ma
from claims.fetching.text import normalise_text

# A window at least this similar to the quote counts as the quote, edited.
EDITED_MIN_RATIO = 0.7
_TOKEN = re.compile(rf"{WORD}+(?:[.,:/'\-\u066b\u066c]{WORD}+)*|[^\w\s]")
_NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "cannot",
        "can't",
        "won't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "didn't",
        "doesn't",
        "don't",
        "hasn't",
        "haven't",
        "hadn't",
        "shouldn't",
        "wouldn't",
        "couldn't",
        "denied",
        "denies",
        "deny",
    ]
)
_MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "yesterday",
        "today",
    ]
)
_NUMBER_WORDS = frozenset(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "dozen",
        "dozens",
    ]
)
_MAX_REPORTED = 5
_CANDIDATES = 8  # regions of the page scored in full


@dataclass(frozen=True)
class QuoteCheck:
    state: str  # "intact", "edited" or "missing" (Evidence.QuoteState values)
    change: str = ""


def _fold(text: str) -> str:
    """What comparison sees: case folded, and Arabic folded (digits, marks, letter variants)."""
    return fold_arabic(text.casefold())


def _key(text: str) -> str:
    return _fold(normalise_text(text).replace("\n", " "))


def _tokens(text: str) -> list[str]:
    # Tokens that are only diacritics (a stray mark after a space) fold to nothing.
    return [t for t in _TOKEN.findall(normalise_text(text).replace("\n", " ")) if _fold(t)]


def _is_negation(word: str, following: str | None = None) -> bool:
    folded = _fold(word)
    return folded in _NEGATIONS or is_arabic_negation(folded, _fold(following) if following else None)


def _negation_words(words: list[str], following: str | None, alone: bool) -> list[str]:
    """The negating words among ``words`` (``following``: the word after them); an Arabic "ma"
    counts only when added or dropped alone, and neither "ma" nor "la" before "zala" (still)."""
    folded = [_fold(w) for w in words] + [_fold(following) if following else ""]
    found = [w for i, w in enumerate(words) if folded[i] in _NEGATIONS or is_arabic_negation(folded[i], folded[i + 1])]
    if alone and is_negating_ma(folded[:-1], folded[-1]):
        found = words
    return found


def _window_overlaps(q: list[str], t: list[str]) -> list[int]:
    """For each start, how many quote words (as a multiset) the len(q)-word window holds; O(len(t))."""
    want = Counter(q)
    have: Counter[str] = Counter()
    n, overlap, overlaps = len(q), 0, []
    for i, word in enumerate(t):
        if have[word] < want[word]:
            overlap += 1
        have[word] += 1
        if i >= n:
            gone = t[i - n]
            have[gone] -= 1
            if have[gone] < want[gone]:
                overlap -= 1
        if i >= n - 1:
            overlaps.append(overlap)
    return overlaps or [overlap]


def _candidate_starts(overlaps: list[int], n: int, k: int = _CANDIDATES) -> list[int]:
    """The k best-overlapping starts, at least half a quote apart (one per region of the page)."""
    chosen: list[int] = []
    for start in sorted(range(len(overlaps)), key=lambda i: (-overlaps[i], i)):
        if all(abs(start - other) >= max(1, n // 2) for other in chosen):
            chosen.append(start)
            if len(chosen) == k:
                break
    return chosen


def _best_window(quote: list[str], text: list[str]) -> tuple[float, int, int]:
    """(ratio, start, end) of the text window most like the quote.

    A linear pass ranks regions by shared words (an upper bound of difflib's
    ratio); difflib then scores only the few best regions, shifting the
    start and stretching the end by a few words for insertions and deletions.
    """
    q = [_fold(w) for w in quote]
    t = [_fold(w) for w in text]
    n = len(q)
    overlaps = _window_overlaps(q, t)
    if max(overlaps) / n < EDITED_MIN_RATIO - 0.1:
        return (0.0, 0, 0)
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(q)

    def score(start: int, end: int) -> float:
        matcher.set_seq1(t[start:end])
        return matcher.ratio()

    reach = min(max(2, n // 5), 10)
    best = (0.0, 0, 0)
    for candidate in _candidate_starts(overlaps, n):
        starts = range(max(0, candidate - reach), min(len(t) - 1, candidate + reach) + 1)
        start = max(starts, key=lambda s: score(s, s + n))
        ends = range(start + max(1, n - reach), min(len(t), start + n + reach) + 1)
        end = max(ends, key=lambda e: score(start, e), default=start + n)
        for s in range(max(0, start - 2), start + 3):
            for e in range(max(s + 1, end - 2), min(len(t), end + 2) + 1):
                ratio = score(s, e)
                if ratio > best[0]:
                    best = (ratio, s, e)
    return best


def _widen_edges(quote: list[str], text: list[str], start: int, end: int) -> tuple[int, int]:
    """Stretch the window over quote words missing at its edges, so a changed last word
    reads as "X became Y" rather than "X removed"."""
    ops = SequenceMatcher(
        None, [_fold(w) for w in quote], [_fold(w) for w in text[start:end]], autojunk=False
    ).get_opcodes()
    if ops and ops[0][0] == "delete":
        start = max(0, start - (ops[0][2] - ops[0][1]))
    if ops and ops[-1][0] == "delete":
        end = min(len(text), end + (ops[-1][2] - ops[-1][1]))
    return start, end


def _kind(words: list[str]) -> str:
    lowered = {w.casefold() for w in words}
    if any(any(ch.isdigit() for ch in w) for w in words) or lowered & _NUMBER_WORDS:
        return "figure"
    if lowered & _MONTHS:
        return "date"
    if any(w[:1].isupper() for w in words):
        return "name"
    return "wording"


def _words(tokens: list[str]) -> list[str]:
    """Tokens without bare punctuation, which is not worth reporting."""
    return [t for t in tokens if any(ch.isalnum() for ch in t)]


def describe_changes(quote: list[str], found: list[str]) -> list[str]:
    """Readable differences between the quoted words and the words now on the page."""
    q = [_fold(t) for t in quote]
    f = [_fold(t) for t in found]
    changes: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, q, f, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        old, new = _words(quote[i1:i2]), _words(found[j1:j2])
        old_neg = _negation_words(old, quote[i2] if i2 < len(quote) else None, alone=not new)
        new_neg = _negation_words(new, found[j2] if j2 < len(found) else None, alone=not old)
        if new_neg and not old_neg:
            changes.append(f'negation added: "{" ".join(new_neg)}"')
            new = [w for w in new if w not in new_neg]
            if not new and not old:
                continue
        if old_neg and not new_neg:
            changes.append(f'negation removed: "{" ".join(old_neg)}"')
            old = [w for w in old if w not in old_neg]
            if not new and not old:
                continue
        if old and new:
            changes.append(f'{_kind(old + new)} changed: "{" ".join(old)}" became "{" ".join(new)}"')
        elif new:
            changes.append(f'{_kind(new)} added: "{" ".join(new)}"')
        elif old:
            changes.append(f'{_kind(old)} removed: "{" ".join(old)}"')
    return changes


def _negation_before(quote: list[str], text: list[str], start: int) -> list[str]:
    """A negation put just before the passage (Arabic "لم" before its verb) reverses it, though outside the window."""
    if start == 0 or _is_negation(quote[0]) or not _is_negation(text[start - 1], text[start]):
        return []
    return [f'negation added just before the passage: "{text[start - 1]}"']


def _contains_words(text_key: str, quote_key: str) -> bool:
    """``quote_key`` in ``text_key`` as whole words: "سيطروا" inside "يسيطروا" (or "able" in "unable") is not it."""
    if not quote_key:
        return True
    before = r"(?<!\w)" if re.match(r"\w", quote_key[0]) else ""
    after = r"(?!\w)" if re.match(r"\w", quote_key[-1]) else ""
    return re.search(before + re.escape(quote_key) + after, text_key) is not None


def check_quote(quote: str, text: str) -> QuoteCheck:
    """Where ``quote`` stands in ``text``: intact, edited (and how), or missing."""
    if _contains_words(_key(text), _key(quote)):
        return QuoteCheck("intact")
    quote_tokens, text_tokens = _tokens(quote), _tokens(text)
    if not quote_tokens or not text_tokens:
        return QuoteCheck("missing")
    ratio, start, end = _best_window(quote_tokens, text_tokens)
    if ratio < EDITED_MIN_RATIO:
        return QuoteCheck("missing")
    start, end = _widen_edges(quote_tokens, text_tokens, start, end)
    changes = _negation_before(quote_tokens, text_tokens, start) + describe_changes(
        quote_tokens, text_tokens[start:end]
    )
    if not changes:  # differs only in punctuation the tokeniser drops
        return QuoteCheck("intact")
    shown = changes[:_MAX_REPORTED]
    if len(changes) > _MAX_REPORTED:
        shown.append(f"and {len(changes) - _MAX_REPORTED} more changes")
    return QuoteCheck("edited", "; ".join(shown))
