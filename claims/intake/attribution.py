"""Who asserts what in one sentence: the cue, the speaker (a guessed claimant) and the asserted part."""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.intake import cues

_PRONOUNS = {
    "he",
    "she",
    "they",
    "it",
    "we",
    "i",
    "agency",
    "the agency",
    "the ministry",
    "the group",
    "officials",
    "sources",
}
_TIME_TAIL = re.compile(
    r"\s+(?:on|late on|early on|last|this)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|night)\b.*$"
)
_THROUGH = re.compile(
    r"^(?:the\s+)?(.+?)\s+through\s+(?:its|their|his|her)\s+(.+?)(?:\s+(?:channel|account))?(?:\s+on\s+.+)?$", re.I
)
_AGENCY_NAME = re.compile(r"\bnews agency\s+([A-Za-z][\w-]+)|\b([A-Z]{2,6})\b")
_TRAILING_WORDS = 7
_AR_SPEAKER_STOPS = {"يوم", "في", "خلال", "عبر", "مساء", "صباح", "أمس", "اليوم", "الليلة"}


@dataclass(frozen=True)
class Attribution:
    cue: str
    speaker: str
    content: str


def attribute(sentence: str, language: str) -> Attribution | None:
    """The sentence's attribution, or None when nothing in it says who asserts it."""
    if language == "ar":
        return _attribute_arabic(sentence)
    matches = list(cues.EN_CUE.finditer(sentence))
    if not matches:
        agency = cues.EN_AGENCY.search(sentence)
        if agency is None:
            return None
        return Attribution(agency.group(1), agency.group(1), sentence)
    first, last = matches[0], matches[-1]
    cue = first.group(1).lower()
    if cue in {"according to", "confirmed by", "reported by", "quoted by", "citing"}:
        return _by_phrase(sentence, first)
    if cue == "estimated":
        return Attribution(cue, "", sentence)  # "an estimated half-million": the article's own figure
    after_last = sentence[last.end() :].split()
    before_last = sentence[: last.start()].rstrip()
    tail = re.split(r",|\u201d|\"", before_last)
    if len(after_last) <= _TRAILING_WORDS and len(tail) > 1 and len(tail[-1].split()) <= _TRAILING_WORDS:
        return _trailing(sentence, last, before_last)
    before = sentence[: first.start()].rstrip()
    if before.endswith(("\u201d", '"')):
        # "“...,” said Rim Turkmani, director of ..."
        speaker = re.split(r"[,.]", sentence[first.end() :].strip(), maxsplit=1)[0]
        return Attribution(cue, _clean(speaker, sentence), before)
    return Attribution(cue, _clean(before, sentence), sentence[first.end() :].strip())


def _by_phrase(sentence: str, match: re.Match[str]) -> Attribution:
    rest = sentence[match.end() :]
    stop = re.search(r",|\s+(?:showed|shows|said|says)\b|\.$", rest)
    speaker = rest[: stop.start()] if stop else rest
    content = (sentence[: match.start()] + " " + (rest[stop.end() :] if stop else "")).strip()
    return Attribution(match.group(1).lower(), _clean(speaker, sentence), content or sentence)


def _trailing(sentence: str, match: re.Match[str], before: str) -> Attribution:
    segments = [s.strip(' \u201d"') for s in re.split(r",|\u201d|\"", before) if s.strip(' \u201d"')]
    speaker = segments[-1] if segments else ""
    # "..., Geir Pedersen, the UN special envoy for Syria, said": the name, not the title.
    if (
        speaker[:4].lower() == "the "
        and len(segments) > 1
        and segments[-2][:1].isupper()
        and len(segments[-2].split()) <= 4
    ):
        speaker = segments[-2]
    content = before[: before.rfind(speaker)] if speaker in before else before
    return Attribution(match.group(1).lower(), _clean(speaker, sentence), content.strip(' ,\u201c\u201d"'))


def _clean(speaker: str, sentence: str) -> str:
    """A readable claimant name from the words before or after the cue."""
    speaker = speaker[-300:].strip(" ,\u201c\u201d\"'")  # a speaker is a few words; bound the regex work
    through = _THROUGH.match(speaker)
    if through:
        speaker = f"{through.group(1)} {through.group(2)}"
    speaker = _TIME_TAIL.sub("", speaker)
    speaker = re.split(r",|\s+reporting\s+from\b", speaker, maxsplit=1)[0].strip()
    speaker = re.sub(r"^(?:the|The|a|A|an|An|But|And)\s+", "", speaker)
    speaker = re.sub(r"\s+(?:has|have|had|has been|have been|had been|also|later|previously)$", "", speaker)
    if speaker.lower() in _PRONOUNS or speaker.lower().startswith("the agency"):
        agency = _AGENCY_NAME.search(sentence)
        return next((g for g in agency.groups() if g), "") if agency else ""
    if len(speaker.split()) > 10:
        return ""
    return speaker[:1].upper() + speaker[1:]


def _attribute_arabic(sentence: str) -> Attribution | None:
    words = sentence.split()
    for i, raw in enumerate(words):
        word = cues.arabic_word(raw)
        if word in cues.AR_SAYING:
            return _arabic_saying(words, i, word)
        if word in cues.AR_ACCORDING:
            return _arabic_according(words, i, word)
    agency = cues.AR_AGENCY.search(sentence)
    if agency:
        return Attribution(agency.group(1), agency.group(1), sentence)
    return None


def _arabic_saying(words: list[str], i: int, cue: str) -> Attribution:
    # Verb first: "قال وزير الخارجية إن ...": the speaker runs to إن/أن or a comma.
    speaker: list[str] = []
    j = i + 1
    while j < len(words) and len(speaker) < 8:
        word = words[j].strip("،,:")
        if word in cues.AR_SPEECH_END or (word.startswith(("إن", "أن")) and len(word) <= 5):
            break
        if word in _AR_SPEAKER_STOPS and speaker:
            break  # "قال الجيش يوم السبت إن": the speaker ends before the time or place
        speaker.append(word)
        if words[j].endswith(("،", ",", ":")):
            break
        j += 1
    before = " ".join(words[:i])
    content = " ".join(words[j + 1 :]) if j < len(words) else ""
    if before and len(before.split()) > 3 and not content:
        # "...، قال المتحدث.": the assertion came first.
        content = before
    return Attribution(cue, " ".join(speaker), (content or before).strip(" ،"))


def _arabic_according(words: list[str], i: int, cue: str) -> Attribution:
    speaker: list[str] = []
    j = i + 1
    while j < len(words) and len(speaker) < 6:
        speaker.append(words[j].strip("،,."))
        if words[j].endswith(("،", ",", ".")):
            break
        j += 1
    if speaker and speaker[0].startswith("ل") and cue in {"وفقا", "وفقاً", "طبقا", "طبقاً"}:
        speaker[0] = speaker[0][1:]
    content = " ".join(words[:i] + words[j + 1 :])
    return Attribution(cue, " ".join(speaker), content.strip(" ،."))
