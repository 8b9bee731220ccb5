"""Arabic folding for quote comparison, and the Arabic words that negate.

Arabic sources edit the same sentence between versions in ways that change
no meaning: Arabic-Indic or Persian digits for ASCII ones, diacritics
(tashkeel) added or dropped, a tatweel stretching a word, and the hamza or
dot variants of alef, ya and ta marbuta. ``fold_arabic`` erases exactly
those differences so a quote recorded in one form is found in the other;
the report still shows the words as written.
"""

from __future__ import annotations

import re

# Tashkeel and Quranic marks (combining, category Mn), tatweel: removed.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
_REMOVED = re.compile(f"[{_MARKS}\u0640]")
# A word, Arabic marks and tatweel included (they are not ``\w`` to Python's re).
WORD = f"[\\w{_MARKS}\u0640]"

_FOLD = str.maketrans(
    {
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian (Extended Arabic-Indic) digits
        "\u066a": "%",  # Arabic percent sign
        "\u066b": ".",  # Arabic decimal separator
        "\u066c": ",",  # Arabic thousands separator
        "\u0623": "\u0627",  # alef with hamza above
        "\u0625": "\u0627",  # alef with hamza below
        "\u0622": "\u0627",  # alef with madda
        "\u0671": "\u0627",  # alef wasla
        "\u0649": "\u064a",  # alef maqsura -> ya
        "\u06cc": "\u064a",  # Farsi ya -> ya
        "\u0629": "\u0647",  # ta marbuta -> ha
    }
)

# Particles and verbs that negate; a leading wa-/fa- ("and") may be attached.
# Spelt folded (ى as ي, ة as ه), as ``is_arabic_negation`` compares folded words.
_NEGATIONS = frozenset(
    [
        "لا",
        "لم",
        "لن",
        "ليس",
        "ليست",
        "ليسا",
        "ليستا",
        "ليسوا",
        "لسن",
        "لست",
        "لستم",
        "لستن",
        "لسنا",
        "غير",
        "عدم",
        "نفي",  # نفى: denied
        "نفت",
        "ينفي",
        "تنفي",
    ]
)
# "ما" negates a verb ("ما قتل": did not kill) but is also "what"/"which";
# named a negation only when inserted alone, and not as "ما زال" (still).
MA = "ما"
# Stems of the verbs after which "ما"/"لا" mean "still"/"as long as" (ما زال، لا يزال، ما دام ...).
_MA_NOT_NEGATING_NEXT = ("زال", "يزال", "تزال", "نزال", "دام", "برح", "يبرح", "انفك", "ينفك", "فتئ")


def fold_arabic(text: str) -> str:
    """``text`` with Arabic digits as ASCII, marks and tatweel removed, letter variants folded."""
    return _REMOVED.sub("", text).translate(_FOLD)


# Every character that folds to the same one: "0" -> "0٠۰", "ا" -> "اأإآٱ", ...
_VARIANTS: dict[str, str] = {}
for _source, _target in _FOLD.items():
    _VARIANTS[_target] = _VARIANTS.get(_target, _target) + chr(_source)
_OPTIONAL_MARKS = f"[{_MARKS}\u0640]*"
_ARABIC_BLOCK = range(0x0600, 0x0700)


def fold_pattern(ch: str) -> str:
    """A regex for ``ch`` and every character that folds like it, then any diacritics or tatweel.

    For finding a passage in its written form (the admin's diff highlights what the
    quote check matched folded); characters outside Arabic come back escaped as they are.
    """
    folded = fold_arabic(ch)
    if not folded:  # a diacritic or tatweel in the quote: the text may or may not have it
        return _OPTIONAL_MARKS
    variants = _VARIANTS.get(folded)
    if variants is None and ord(ch) not in _ARABIC_BLOCK:
        return re.escape(ch)
    alternatives = f"[{re.escape(variants)}]" if variants else re.escape(ch)
    return alternatives + _OPTIONAL_MARKS


def _strip_conjunction(word: str) -> str:
    return word[1:] if len(word) > 2 and word[0] in "وف" else word


def _means_still(following: str | None) -> bool:
    return bool(following) and _strip_conjunction(following or "").startswith(_MA_NOT_NEGATING_NEXT)


def is_arabic_negation(folded: str, following: str | None = None) -> bool:
    """Is this folded word a negation (with or without a leading "و"/"ف")? ``following``: the next word, folded.

    "لا يزال" ("still") is not one.
    """
    base = _strip_conjunction(folded)
    if folded not in _NEGATIONS and base not in _NEGATIONS:
        return False
    return not (base == "لا" and _means_still(following))


def is_negating_ma(inserted: list[str], following: str | None) -> bool:
    """An inserted "ما" alone (or "وما"/"فما") before a word other than "زال" and kin."""
    if len(inserted) != 1 or _strip_conjunction(inserted[0]) != MA:
        return False
    return not _means_still(following)
