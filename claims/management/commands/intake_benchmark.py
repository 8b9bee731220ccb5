"""Recall and precision of the claim proposer on articles whose claims are written down."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.intake.benchmark import Score, score_files

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "claims" / "intake" / "samples"
DEFAULT = [
    (ROOT / "claims" / "seed" / "article.txt", SAMPLES / "seed.claims.md"),
    (SAMPLES / "homs-en.txt", SAMPLES / "homs-en.claims.md"),
    (SAMPLES / "homs-ar.txt", SAMPLES / "homs-ar.claims.md"),
]


class Command(BaseCommand):
    help = (
        "Measure the claim proposer: a claim counts as found when a proposal's sentence holds its statement "
        "(60% of its content words); precision is the share of proposals that hold at least one expected claim."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--text", type=Path, help="An article's text (default: the seed and the samples).")
        parser.add_argument("--claims", type=Path, help="Its expected claims, a claims.md table (| # | claim |).")

    def handle(self, *args, **options) -> None:
        if bool(options["text"]) != bool(options["claims"]):
            raise CommandError("Give --text and --claims together.")
        pairs = [(options["text"], options["claims"])] if options["text"] else DEFAULT
        for text, claims in pairs:
            if not text.is_file() or not claims.is_file():
                raise CommandError(f"Cannot read {text if not text.is_file() else claims}.")
            rules, naive = score_files(text, claims), score_files(text, claims, baseline=True)
            self.stdout.write(f"{text.name} ({rules.expected} expected claims)")
            self.stdout.write("  " + self._line("rules", rules))
            self.stdout.write("  " + self._line("baseline (every sentence with a cue word)", naive))
            for missed in rules.missed:
                self.stdout.write(f"  missed: {missed}")

    @staticmethod
    def _line(label: str, score: Score) -> str:
        rejected = score.proposals - score.useful
        return (
            f"{label}: recall {len(score.found)}/{score.expected} ({score.recall:.0%}), "
            f"precision {score.useful}/{score.proposals} ({score.precision:.0%}), "
            f"{rejected} of {score.proposals} would be rejected"
        )
