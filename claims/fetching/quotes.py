"""Is a quoted passage still in a text, edited, or gone?

Exact search first (after normalising case, whitespace, quotes and dashes);
then the best-matching window of words, compared with difflib on word tokens
so the report can say *what* changed: a figure ("20 km" became "10 km"), a
date, a name, or an inserted "not" that a fuzzy score alone would hide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from claims.fetching.text import normalise_text

# A window at least this similar to the quote counts as the quote, edited.
EDITED_MIN_RATIO = 0.7
_TOKEN = re.compile(r"\w+(?:[.,:/'-]\w+)*|[^\w\s]")
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


@dataclass(frozen=True)
class QuoteCheck:
    state: str  # "intact", "edited" or "missing" (Evidence.QuoteState values)
    change: str = ""


def _key(text: str) -> str:
    return normalise_text(text).casefold().replace("\n", " ")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalise_text(text).replace("\n", " "))


def _best_window(quote: list[str], text: list[str]) -> tuple[float, int, int]:
    """(ratio, start, end) of the text window most like the quote, allowing a few words more or less."""
    q = [t.casefold() for t in quote]
    t = [w.casefold() for w in text]
    wanted = set(q)
    best = (0.0, 0, 0)
    n = len(q)
    slack = max(2, n // 5)
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(q)
    for start in range(len(t)):
        # Only windows that begin near a word of the quote can be the quote.
        if t[start] not in wanted and (start == 0 or t[start - 1] not in wanted):
            continue
        for size in range(max(1, n - slack), n + slack + 1):
            window = t[start : start + size]
            matcher.set_seq1(window)
            if matcher.real_quick_ratio() <= best[0] or matcher.quick_ratio() <= best[0]:
                continue
            ratio = matcher.ratio()
            if ratio > best[0]:
                best = (ratio, start, start + size)
    return best


def _widen_edges(quote: list[str], text: list[str], start: int, end: int) -> tuple[int, int]:
    """Stretch the window over quote words missing at its edges, so a changed last word
    reads as "X became Y" rather than "X removed"."""
    ops = SequenceMatcher(
        None, [w.casefold() for w in quote], [w.casefold() for w in text[start:end]], autojunk=False
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
    q = [t.casefold() for t in quote]
    f = [t.casefold() for t in found]
    changes: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, q, f, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        old, new = _words(quote[i1:i2]), _words(found[j1:j2])
        old_neg = [w for w in old if w.casefold() in _NEGATIONS]
        new_neg = [w for w in new if w.casefold() in _NEGATIONS]
        if new_neg and not old_neg:
            changes.append(f'negation added: "{" ".join(new_neg)}"')
            new = [w for w in new if w.casefold() not in _NEGATIONS]
            if not new and not old:
                continue
        if old_neg and not new_neg:
            changes.append(f'negation removed: "{" ".join(old_neg)}"')
            old = [w for w in old if w.casefold() not in _NEGATIONS]
            if not new and not old:
                continue
        if old and new:
            changes.append(f'{_kind(old + new)} changed: "{" ".join(old)}" became "{" ".join(new)}"')
        elif new:
            changes.append(f'{_kind(new)} added: "{" ".join(new)}"')
        elif old:
            changes.append(f'{_kind(old)} removed: "{" ".join(old)}"')
    return changes


def check_quote(quote: str, text: str) -> QuoteCheck:
    """Where ``quote`` stands in ``text``: intact, edited (and how), or missing."""
    if _key(quote) in _key(text):
        return QuoteCheck("intact")
    quote_tokens, text_tokens = _tokens(quote), _tokens(text)
    if not quote_tokens or not text_tokens:
        return QuoteCheck("missing")
    ratio, start, end = _best_window(quote_tokens, text_tokens)
    if ratio < EDITED_MIN_RATIO:
        return QuoteCheck("missing")
    start, end = _widen_edges(quote_tokens, text_tokens, start, end)
    changes = describe_changes(quote_tokens, text_tokens[start:end])
    if not changes:  # differs only in punctuation the tokeniser drops
        return QuoteCheck("intact")
    shown = changes[:_MAX_REPORTED]
    if len(changes) > _MAX_REPORTED:
        shown.append(f"and {len(changes) - _MAX_REPORTED} more changes")
    return QuoteCheck("edited", "; ".join(shown))
