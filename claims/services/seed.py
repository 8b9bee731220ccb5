"""Loading the seed article and its claims; safe to run any number of times."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from claims.models import Article, Claim, Claimant, Evidence, Source, StatusChange
from claims.seed import data
from claims.services.status import independence_error, stored_links


@dataclass
class SeedResult:
    claims_created: int = 0
    claims_existing: int = 0


def _claimants() -> dict[str, Claimant]:
    found: dict[str, Claimant] = {}
    # Organisations first so people and sub-organisations can point at them.
    for name, (kind, parent, description) in sorted(data.CLAIMANTS.items(), key=lambda item: item[1][1] is not None):
        claimant, _ = Claimant.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "description": description, "organisation": found.get(parent) if parent else None},
        )
        found[name] = claimant
    return found


def _sources(claimants: dict[str, Claimant]) -> dict[str, Source]:
    found: dict[str, Source] = {}
    for key, (name, kind, publisher, notes) in data.SOURCES.items():
        found[key], _ = Source.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "publisher": claimants.get(publisher) if publisher else None, "notes": notes},
        )
    return found


@transaction.atomic
def seed_load() -> SeedResult:
    """Create the seed article, claimants, sources and 13 claims that are missing.

    Existing rows are left as they are, so a claim an editor has since moved on
    keeps its status and history.
    """
    result = SeedResult()
    claimants = _claimants()
    sources = _sources(claimants)
    article, _ = Article.objects.get_or_create(
        title=data.ARTICLE_TITLE,
        publisher=claimants[data.ARTICLE_PUBLISHER],
        defaults={"text": data.ARTICLE_TEXT_PATH.read_text(encoding="utf-8")},
    )
    for row in data.CLAIMS:
        claim, created = Claim.objects.get_or_create(
            article=article,
            text=row["text"],
            defaults={"claimant": claimants[row["claimant"]], "status": row["status"]},
        )
        for key, role, quote in row["links"]:
            Evidence.objects.get_or_create(claim=claim, source=sources[key], role=role, defaults={"quote": quote})
        if not created:
            result.claims_existing += 1
            continue
        problem = independence_error(claim.claimant, claim.status, stored_links(claim))
        if problem:  # the seed itself must obey the desk's rules
            raise ValueError(f"Seed claim {row['text']!r}: {problem}")
        StatusChange.objects.create(
            claim=claim,
            from_status="",
            to_status=claim.status,
            rationale=f"Imported from the seed article. {row['why']}",
            via=StatusChange.Via.IMPORT,
            version=claim.version,
        )
        result.claims_created += 1
    return result
