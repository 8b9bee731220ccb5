"""Scoring proposals against a list of expected claims: recall and precision."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from claims.intake.attribution import attribute
from claims.intake.proposer import propose
from claims.intake.sentences import language_of, paragraphs, split_sentences
from claims.intake.similarity import coverage

# A claim counts as found when a proposal's sentence holds this share of its content words.
FOUND_AT = 0.6


@dataclass
class Score:
    name: str
    expected: int
    found: list[int]  # indexes of expected claims found
    proposals: int
    useful: int  # proposals that hold at least one expected claim
    missed: list[str]

    @property
    def recall(self) -> float:
        return len(self.found) / self.expected if self.expected else 0.0

    @property
    def precision(self) -> float:
        return self.useful / self.proposals if self.proposals else 0.0


def expected_claims(markdown: str) -> list[str]:
    """The claim column of a claims.md table (| # | claim | ...)."""
    rows = []
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and re.fullmatch(r"\d+", cells[0]):
            rows.append(cells[1])
    return rows


def baseline_sentences(text: str) -> list[str]:
    """The naive baseline: every sentence with a cue word, no other rule."""
    language = language_of(text)
    found = []
    for block in paragraphs(text):
        for sentence in split_sentences(block):
            if attribute(sentence, language) is not None:
                found.append(sentence)
    return found


def score(name: str, text: str, claims: list[str], *, publisher: str = "", baseline: bool = False) -> Score:
    sentences = baseline_sentences(text) if baseline else [p.sentence for p in propose(text, publisher=publisher)]
    found, useful = set(), 0
    for sentence in sentences:
        hits = [i for i, claim in enumerate(claims) if coverage(claim, sentence) >= FOUND_AT]
        found.update(hits)
        useful += bool(hits)
    missed = [claim for i, claim in enumerate(claims) if i not in found]
    return Score(name, len(claims), sorted(found), len(sentences), useful, missed)


def score_files(text_path: Path, claims_path: Path, *, publisher: str = "", baseline: bool = False) -> Score:
    return score(
        text_path.name,
        text_path.read_text(encoding="utf-8"),
        expected_claims(claims_path.read_text(encoding="utf-8")),
        publisher=publisher,
        baseline=baseline,
    )
