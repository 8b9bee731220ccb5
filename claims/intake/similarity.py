"""Normalised words of a claim, and how alike two claims are (English and Arabic)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from claims.intake import features

_EN_STOP_WORDS = (
    "a an the of to in on at by for from with and or but as is are was were be been being has have had "
    "that this these those it its their his her they them he she we our you your i which who whom whose "
    "will would could should may might some more than about over into out up down also after before "
    "during while there here then what when where how all any each both other such only own same so very "
    "can just said say says according "
)
_EN_STOP = frozenset(_EN_STOP_WORDS.split())
_AR_STOP_WORDS = "في من على إلى عن مع أن إن كان كانت التي الذي الذين هذا هذه ذلك تلك قد لقد ثم أو و ما "
_AR_STOP = frozenset(_AR_STOP_WORDS.split())
# Words that turn a statement round: "captured" vs "did not capture".
_NEGATIONS_WORDS = (
    "not no never none nobody nothing neither nor without deny denies denied denying false untrue لم لا "
    "لن ليس ليست نفى نفت ينفي غير "
)
_NEGATIONS = frozenset(_NEGATIONS_WORDS.split())
_AR_DIACRITICS = re.compile(r"[\u064b-\u0652\u0640]")
_WORD = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+(?:['\u2019-][^\W\d_]+)*", re.UNICODE)
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "twenty": "20", "kilometres": "km", "kilometers": "km", "kilometre": "km",
    "kilometer": "km", "half-million": "500000",
}  # fmt: skip


def _arabic(word: str) -> str:
    word = _AR_DIACRITICS.sub("", word)
    word = re.sub("[إأآٱ]", "ا", word).replace("ة", "ه").replace("ى", "ي")  # noqa: RUF001
    if len(word) > 4 and word.startswith(("وال", "بال", "كال", "فال")):
        word = word[1:]
    if len(word) > 3 and word.startswith("ال"):
        word = word[2:]
    if len(word) > 4 and word.endswith(("ون", "ين", "ات")):
        word = word[:-2]
    return word


def _stem(word: str) -> str:
    if not word.isascii():
        return _arabic(word)
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    return word


def words(text: str) -> list[str]:
    """Lower-cased, accent- and quote-folded words, numbers split from units ("20km" → "20", "km")."""
    text = unicodedata.normalize("NFKC", text).translate(features.ARABIC_DIGITS).lower()
    text = re.sub(r"(\d)([a-z\u0600-\u06ff])", r"\1 \2", text)
    found = []
    for word in _WORD.findall(text):
        word = _NUMBER_WORDS.get(word, word).replace(",", "")
        found.append(word)
    return found


def content_words(text: str) -> set[str]:
    return {_stem(w) for w in words(text) if w not in _EN_STOP and w not in _AR_STOP and w not in _NEGATIONS}


def numbers(text: str) -> set[str]:
    return {w for w in words(text) if w[:1].isdigit()}


def negated(text: str) -> bool:
    return any(w in _NEGATIONS or w.endswith("n't") for w in words(text))


def coverage(statement: str, sentence: str) -> float:
    """The share of the statement's content words that the sentence has."""
    wanted = content_words(statement)
    return len(wanted & content_words(sentence)) / len(wanted) if wanted else 0.0


@dataclass(frozen=True)
class Likeness:
    score: float  # 0..1, after the vetoes below
    reason: str  # why, for the editor


def likeness(a: str, b: str) -> Likeness:
    """How alike two claims are. Different figures, a negation on one side only, or different places veto."""
    if negated(a) != negated(b):
        return Likeness(0.0, "one says the opposite (a negation)")
    numbers_a, numbers_b = numbers(a), numbers(b)
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return Likeness(0.0, f"different figures ({', '.join(sorted(numbers_a))} vs {', '.join(sorted(numbers_b))})")
    places_a = {p.lower() for p in features.places(a)}
    places_b = {p.lower() for p in features.places(b)}
    if places_a and places_b and not places_a & places_b:
        return Likeness(0.0, "different places")
    words_a, words_b = content_words(a), content_words(b)
    if not words_a or not words_b:
        return Likeness(0.0, "no words to compare")
    shared = words_a & words_b
    # Dice on the words, so a reworded claim with a few extra words still scores high.
    score = 2 * len(shared) / (len(words_a) + len(words_b))
    return Likeness(round(score, 3), f"{len(shared)} words in common")


def is_short(text: str, minimum_words: int) -> bool:
    return len(content_words(text)) < minimum_words
