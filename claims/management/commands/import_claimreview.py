"""Import schema.org ClaimReview items (JSON or JSON-LD) as external fact-checks."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.services.intake_factchecks import factchecks_import


class Command(BaseCommand):
    help = "Import a ClaimReview file (JSON, JSON-LD, @graph or DataFeed); importing it again adds nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        try:
            result = factchecks_import(data=data, user=None)
        except ValidationError as exc:
            raise CommandError(f"{path}: {exc.message_dict['file'][0]}") from None
        self.stdout.write(f"{path.name}: {result.created} fact-checks imported, {result.existing} already present.")
