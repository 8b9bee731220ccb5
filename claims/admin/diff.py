"""A side-by-side, word-level diff of two snapshot texts, with quoted passages highlighted.

Every piece of snapshot text is HTML-escaped here before it is wrapped in
markup: a source's text is untrusted input.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from claims.fetching import normalise_text
from claims.fetching.arabic import fold_pattern

CHANGED, QUOTED = 1, 2
TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]")
APOSTROPHES = "'\u2019\u2018"
DOUBLE_QUOTES = '"\u201c\u201d'
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
# Word-level diffs of enormous lines cost more than they tell.
WORD_DIFF_MAX_CHARS = 5000
EMPTY = SafeString("")


@dataclass(frozen=True)
class DiffRow:
    """One row of the side-by-side table; ``kind`` is equal, replace, delete, insert or skip."""

    kind: str
    left_no: int | None = None
    left: SafeString = EMPTY
    right_no: int | None = None
    right: SafeString = EMPTY
    skipped: int = 0


def quote_pattern(quote: str) -> re.Pattern[str] | None:
    """A pattern finding ``quote`` despite reflowed whitespace, letter case, quote marks and dashes.

    Snapshot text is normalised by the fetcher (NFKC, straight quotes, "-"
    for dashes, "..." for an ellipsis); the quote is normalised the same way,
    so this page finds exactly what the re-check found intact (Arabic folded alike).
    """
    words = normalise_text(quote).split()
    if not words:
        return None

    def char(ch: str) -> str:
        if ch in APOSTROPHES:
            return f"[{APOSTROPHES}]"
        if ch in DOUBLE_QUOTES:
            return f"[{DOUBLE_QUOTES}]"
        if ch in DASHES:
            return f"[{DASHES}]"
        return fold_pattern(ch)  # Arabic as the quote check compares it: any digits, marks, variants

    return re.compile(r"\s+".join("".join(map(char, word)) for word in words), re.IGNORECASE)


def quote_patterns(quotes: Iterable[str]) -> list[re.Pattern[str]]:
    return [p for p in (quote_pattern(q) for q in quotes) if p is not None]


def render_line(text: str, changed: Iterable[tuple[int, int]], patterns: list[re.Pattern[str]], css: str) -> SafeString:
    """``text`` escaped, with changed character ranges in ``<span class=css>`` and quotes in ``<mark>``."""
    flags = bytearray(len(text))
    for start, end in changed:
        for i in range(start, end):
            flags[i] |= CHANGED
    for pattern in patterns:
        for match in pattern.finditer(text):
            for i in range(match.start(), match.end()):
                flags[i] |= QUOTED
    parts: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and flags[j] == flags[i]:
            j += 1
        piece = escape(text[i:j])
        if flags[i] & QUOTED:
            piece = f'<mark class="quote">{piece}</mark>'
        if flags[i] & CHANGED:
            piece = f'<span class="{css}">{piece}</span>'
        parts.append(piece)
        i = j
    return mark_safe("".join(parts))  # noqa: S308  (every piece of text is escaped above)


def _token_spans(tokens: list[str]) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for token in tokens:
        spans.append((pos, pos + len(token)))
        pos += len(token)
    return spans


def word_changes(old: str, new: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character ranges that differ between two versions of a line, word by word."""
    if len(old) > WORD_DIFF_MAX_CHARS or len(new) > WORD_DIFF_MAX_CHARS:
        return [(0, len(old))], [(0, len(new))]
    a, b = TOKEN_RE.findall(old), TOKEN_RE.findall(new)
    a_spans, b_spans = _token_spans(a), _token_spans(b)
    left: list[tuple[int, int]] = []
    right: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            left.append((a_spans[i1][0], a_spans[i2 - 1][1]))
        if j2 > j1:
            right.append((b_spans[j1][0], b_spans[j2 - 1][1]))
    return left, right


def _full_rows(old_lines: list[str], new_lines: list[str], patterns: list[re.Pattern[str]]) -> list[DiffRow]:
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            has_old, has_new = i < i2, j < j2
            old = old_lines[i] if has_old else ""
            new = new_lines[j] if has_new else ""
            if tag == "equal":
                left_changes, right_changes = [], []
            elif has_old and has_new:
                left_changes, right_changes = word_changes(old, new)
            else:
                left_changes, right_changes = [(0, len(old))], [(0, len(new))]
            kind = tag if tag == "equal" or (has_old and has_new) else ("delete" if has_old else "insert")
            rows.append(
                DiffRow(
                    kind=kind,
                    left_no=i + 1 if has_old else None,
                    left=render_line(old, left_changes, patterns, "del") if has_old else EMPTY,
                    right_no=j + 1 if has_new else None,
                    right=render_line(new, right_changes, patterns, "ins") if has_new else EMPTY,
                )
            )
    return rows


def side_by_side(old: str, new: str, quotes: Iterable[str], context: int | None = 3) -> list[DiffRow]:
    """Rows comparing ``old`` and ``new`` line by line; unchanged runs away from changes and quotes are folded.

    ``context=None`` keeps every line.
    """
    patterns = quote_patterns(quotes)
    rows = _full_rows(old.splitlines(), new.splitlines(), patterns)
    if context is None:
        return rows
    keep = [False] * len(rows)
    for index, row in enumerate(rows):
        if row.kind != "equal" or 'class="quote"' in row.left or 'class="quote"' in row.right:
            for k in range(max(0, index - context), min(len(rows), index + context + 1)):
                keep[k] = True
    folded: list[DiffRow] = []
    hidden = 0
    for row, shown in zip(rows, keep, strict=True):
        if shown:
            if hidden:
                folded.append(DiffRow(kind="skip", skipped=hidden))
                hidden = 0
            folded.append(row)
        else:
            hidden += 1
    if hidden:
        folded.append(DiffRow(kind="skip", skipped=hidden))
    return folded


def quote_found(text: str, quote: str) -> bool:
    pattern = quote_pattern(quote)
    return bool(pattern and pattern.search(text))
