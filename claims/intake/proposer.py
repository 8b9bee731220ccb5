"""Rule-based claim proposals: which sentences carry an attributed, checkable assertion, and who makes it.

The rules, in order (measured by ``manage.py intake_benchmark``, see docs/intake.md):
1. A sentence with a cue (a verb of saying, "according to", a named agency
   or channel) is split into who speaks and what is asserted. It is proposed
   when the assertion is checkable (a figure, a place or an event verb) and
   is not an opinion ("I fear", "terrifying") or a condition ("If ...").
2. A quotation that continues an attributed sentence in the same paragraph
   joins its proposal (the attribution carries over).
3. "The claims could not be independently confirmed" proposes nothing; it
   is noted on the proposal before it.
4. An unattributed sentence is proposed, with the article as the claimant,
   when it reports an event with a place or a count of people
   ("killed an estimated half-million people", "more than 3 million refugees").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from claims.intake import cues, features
from claims.intake.attribution import Attribution, attribute
from claims.intake.sentences import is_heading, language_of, paragraphs, split_sentences

ProgressCallback = Callable[[int, int], None]
_OPEN_QUOTES = '\u201c\u00ab"'
_CLOSE_QUOTES = '\u201d\u00bb"'


@dataclass
class Proposal:
    position: int
    sentence: str
    cue: str
    claimant_guess: str
    figures: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    note: str = ""
    content: str = ""


def _quote_open(text: str) -> bool:
    opening = sum(text.count(q) for q in "\u201c\u00ab")
    closing = sum(text.count(q) for q in "\u201d\u00bb")
    return opening > closing or text.count('"') % 2 == 1


def _checkable(content: str, language: str, *, attributed: bool) -> bool:
    """Whether the asserted part could be checked: figures, places or an event, and no opinion or condition."""
    content = content.strip()
    has_figure = bool(features.figures(content))
    if language == "ar":
        if cues.AR_CONDITIONAL.search(content) or (cues.AR_OPINION.search(content) and not has_figure):
            return False
        has_event = bool(cues.AR_EVENT.search(content))
        return has_figure or has_event or (attributed and bool(features.places(content)))
    if cues.EN_CONDITIONAL.search(content) or (cues.EN_OPINION.search(content) and not has_figure):
        return False
    has_event, has_place = bool(cues.EN_EVENT.search(content)), bool(features.places(content))
    if attributed:
        return has_figure or has_event or has_place
    people_count = any(cues.EN_PEOPLE.search(f) or _people_after(content, f) for f in features.figures(content))
    return (has_event and (has_place or has_figure)) or people_count


def _people_after(content: str, figure: str) -> bool:
    at = content.find(figure)
    following = content[at + len(figure) : at + len(figure) + 40].split()[:3]
    return any(cues.EN_PEOPLE.fullmatch(w.strip(",.")) for w in following)


def _unattributed(sentence: str, language: str) -> bool:
    if language == "ar":
        return (
            bool(cues.AR_EVENT.search(sentence))
            and bool(features.figures(sentence) or features.places(sentence))
            and not cues.AR_CONDITIONAL.search(sentence)
        )
    return _checkable(sentence, language, attributed=False)


def _make(position: int, sentence: str, cue: str, claimant: str, content: str) -> Proposal:
    return Proposal(
        position=position,
        sentence=sentence,
        cue=cue,
        claimant_guess=claimant,
        figures=features.figures(sentence),
        places=features.places(sentence),
        dates=features.dates(sentence),
        content=content,
    )


def propose(text: str, *, publisher: str = "", progress: ProgressCallback | None = None) -> list[Proposal]:
    """The claim proposals of an article's text, in reading order."""
    language = language_of(text)
    note_pattern = cues.AR_VERIFICATION_NOTE if language == "ar" else cues.EN_VERIFICATION_NOTE
    found: list[Proposal] = []
    position = 0
    last_speaker = ""
    blocks = paragraphs(text)
    for index, block in enumerate(blocks):
        if progress is not None:
            progress(index, len(blocks))
        if is_heading(block):
            continue
        open_proposal: Proposal | None = None  # the attributed sentence a quote may continue
        pending: tuple[Attribution, str] | None = None  # attributed but not (yet) checkable
        previous = ""
        for sentence in split_sentences(block):
            position += 1
            if note_pattern.search(sentence) and len(sentence.split()) <= 12:
                if found:
                    found[-1].note = sentence
                continue
            starts_quote = sentence[:1] in _OPEN_QUOTES
            attribution = attribute(sentence, language)
            continuing = open_proposal is not None or pending is not None
            if attribution is None and continuing and (starts_quote or _quote_open(previous)):
                open_proposal, pending = _continue(open_proposal, pending, sentence, language, found, position)
                previous = sentence
                continue
            previous = sentence
            open_proposal, pending = None, None
            if attribution is not None:
                claimant = attribution.speaker or (publisher if attribution.cue == "estimated" else last_speaker)
                last_speaker = attribution.speaker or last_speaker
                if _checkable(attribution.content, language, attributed=True):
                    open_proposal = _make(position, sentence, attribution.cue, claimant, attribution.content)
                    found.append(open_proposal)
                else:
                    pending = (Attribution(attribution.cue, claimant, attribution.content), sentence)
            elif _unattributed(sentence, language):
                found.append(_make(position, sentence, "unattributed event or figure", publisher, sentence))
    if progress is not None:
        progress(len(blocks), len(blocks))
    return found


def _continue(
    open_proposal: Proposal | None,
    pending: tuple[Attribution, str] | None,
    sentence: str,
    language: str,
    found: list[Proposal],
    position: int,
) -> tuple[Proposal | None, tuple[Attribution, str] | None]:
    """Join a continuing quotation to its attributed sentence; propose the pair once it is checkable."""
    if open_proposal is not None:
        joined = _make(open_proposal.position, f"{open_proposal.sentence} {sentence}", open_proposal.cue,
                       open_proposal.claimant_guess, f"{open_proposal.content} {sentence}")  # fmt: skip
        if not _checkable(joined.content, language, attributed=True):
            found.remove(open_proposal)  # the quote turns out to be an opinion
            return None, (Attribution(joined.cue, joined.claimant_guess, joined.content), joined.sentence)
        found[found.index(open_proposal)] = joined
        return joined, None
    assert pending is not None
    attribution, earlier = pending
    content = f"{attribution.content} {sentence}"
    joined_sentence = f"{earlier} {sentence}"
    if _checkable(content, language, attributed=True) and not cues.EN_OPINION.search(attribution.content):
        proposal = _make(position - 1, joined_sentence, attribution.cue, attribution.speaker, content)
        found.append(proposal)
        return proposal, None
    return None, (Attribution(attribution.cue, attribution.speaker, content), joined_sentence)
