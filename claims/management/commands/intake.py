"""Take in an article from a file or a URL and list the claims it proposes, with a progress bar."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from claims.models import ArticleIntake
from claims.services.intake import intake_run, intake_submit


class Command(BaseCommand):
    help = "Take in an article (--file or --url) and propose its claims; --queue hands it to a worker instead."

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--file", type=Path, help="A UTF-8 text file holding the article.")
        source.add_argument("--url", help="The article's http(s) address (fetched with the safe fetcher).")
        parser.add_argument("--title", default="")
        parser.add_argument("--publisher", default="", help="The publishing organisation's name.")
        parser.add_argument("--queue", action="store_true", help="Leave the reading to a Celery worker.")

    def handle(self, *args, **options) -> None:
        text = ""
        if options["file"]:
            try:
                text = Path(options["file"]).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"Cannot read {options['file']}: {exc}") from None
        try:
            intake = intake_submit(
                url=options["url"] or "",
                text=text,
                title=options["title"],
                publisher_name=options["publisher"],
                user=None,
                inline=False,
                enqueue=options["queue"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(f"{f}: {m[0]}" for f, m in exc.message_dict.items())) from None
        if options["queue"]:
            self.stdout.write(f"Intake {intake.pk} queued; its progress shows in the admin.")
            return
        with tqdm(total=100, unit="%", desc="Reading", file=self.stderr, mininterval=0) as bar:
            intake = intake_run(intake_id=intake.pk, progress=lambda percent: bar.update(percent - bar.n))
        if intake.state != ArticleIntake.State.DONE:
            raise CommandError(f"Intake {intake.pk} failed: {intake.error}")
        self._report(intake)

    def _report(self, intake: ArticleIntake) -> None:
        proposals = list(intake.proposals.all())
        self.stdout.write(f"Intake {intake.pk}: {intake.title!r}, {len(proposals)} claims proposed.")
        for proposal in proposals:
            self.stdout.write(f"  [{proposal.pk}] {proposal.claimant_guess or '?'}: {proposal.sentence}")
