"""Full-text search on PostgreSQL is answered from the GIN indexes of migration 0002."""

from __future__ import annotations

import pytest
from django.db import connection

from claims.models import Claim, Claimant, Evidence, Source

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

MANY = 4000


@pytest.fixture
def large_tables():
    if connection.vendor != "postgresql":
        pytest.fail("needs DATABASE_URL pointing at PostgreSQL")
    army = Claimant.objects.create(name="Army press office")
    agency = Claimant.objects.create(name="State news agency")
    wire = Source.objects.create(name="Wire report", url="https://wire.example/story")
    filler = Claim.objects.bulk_create(
        Claim(text=f"Shelling reported near village number {n} overnight.", claimant=army) for n in range(MANY)
    )
    Evidence.objects.bulk_create(
        Evidence(claim=claim, source=wire, role="made", quote=f"Residents heard shelling near village {n}.")
        for n, claim in enumerate(filler)
    )
    by_text = Claim.objects.create(text="The opposition retreated 20 km from the river.", claimant=army)
    by_quote = Claim.objects.create(text="Forces moved back from the front.", claimant=army)
    Evidence.objects.create(claim=by_quote, source=wire, role="made", quote="Troops were retreating along the road.")
    by_claimant = Claim.objects.create(text="Five fighters were captured.", claimant=agency)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
        cursor.execute("ANALYZE claims_evidence")
    return {"text": by_text, "quote": by_quote, "claimant": by_claimant}


def test_the_gin_indexes_exist_with_the_search_expression():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN ('claim_text_fts_idx', 'evidence_quote_fts_idx')"
        )
        indexes = dict(cursor.fetchall())

    assert "USING gin (to_tsvector('english'::regconfig, COALESCE(text, ''::text)))" in indexes["claim_text_fts_idx"]
    assert (
        "USING gin (to_tsvector('english'::regconfig, COALESCE(quote, ''::text)))" in indexes["evidence_quote_fts_idx"]
    )


def test_search_finds_text_quotes_and_claimants_through_the_indexes(large_tables):
    # when a fact-checker searches for a stemmed word
    found = Claim.objects.search("retreat")
    plan = found.explain()

    # then both the claim text and the quote lookups are index scans, not a to_tsvector per row
    assert "Bitmap Index Scan on claim_text_fts_idx" in plan, plan
    assert "Bitmap Index Scan on evidence_quote_fts_idx" in plan, plan
    assert set(found) == {large_tables["text"], large_tables["quote"]}
    assert list(Claim.objects.search("news agency")) == [large_tables["claimant"]]
