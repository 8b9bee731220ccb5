"""Re-check sources now: queue them for the workers, or run them here with --sync."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from claims.models import Source, SourceCheck
from claims.services.checking import source_check_now
from claims.services.rechecks import RecheckUnavailable, recheck_request


class Command(BaseCommand):
    help = "Re-check all monitored sources (--all) or some (--source ID ...), queued or in-process (--sync)."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--source", type=int, nargs="+", metavar="ID", help="ids of the sources to re-check")
        which.add_argument("--all", action="store_true", help="every monitored source with a URL")
        parser.add_argument("--sync", action="store_true", help="fetch here and now instead of queueing for workers")

    def _source_ids(self, options: dict[str, Any]) -> list[int]:
        if options["all"]:
            return list(Source.objects.fetchable().order_by("id").values_list("id", flat=True))
        wanted = list(dict.fromkeys(options["source"]))
        found = dict(Source.objects.filter(pk__in=wanted).values_list("id", "url"))
        missing = [str(i) for i in wanted if i not in found]
        if missing:
            raise CommandError(f"No source with id {', '.join(missing)}.")
        no_url = [str(i) for i in wanted if not found[i]]
        if no_url:
            raise CommandError(f"Source {', '.join(no_url)} has no URL, so there is nothing to fetch.")
        return wanted

    def handle(self, *args: Any, **options: Any) -> None:
        ids = self._source_ids(options)
        if not ids:
            self.stdout.write("No monitored sources with a URL; nothing to re-check.")
            return
        tally: Counter[str] = Counter()
        show = options["verbosity"] > 0
        for source_id in tqdm(
            ids, desc="Re-checking" if options["sync"] else "Queueing", unit="source", disable=not show
        ):
            tally[self._one(source_id, sync=options["sync"])] += 1
        summary = ", ".join(f"{count} {label}" for label, count in sorted(tally.items()))
        verb = "Checked" if options["sync"] else "Queued"
        self.stdout.write(f"{verb} {len(ids)} source{'s' if len(ids) != 1 else ''}: {summary}.")

    def _one(self, source_id: int, *, sync: bool) -> str:
        if sync:
            check = source_check_now(source_id=source_id, trigger=SourceCheck.Trigger.COMMAND)
            if check is None:
                return "already being checked"
            return check.outcome or "deferred (site asked us to wait)"
        was_open = SourceCheck.objects.filter(source_id=source_id, state__in=["queued", "running"]).exists()
        try:
            recheck_request(source_id=source_id, trigger=SourceCheck.Trigger.COMMAND)
        except RecheckUnavailable as exc:
            raise CommandError(f"{exc} Run with --sync to check here instead.") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        return "already queued or running" if was_open else "queued"
