"""Full-text search on PostgreSQL is answered from the GIN index on the claims' search document."""

from __future__ import annotations

import pytest
from django.db import connection

from claims.models import Claim, Claimant, Evidence, Source

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

# Enough rows that, without the index, PostgreSQL reads the whole table (checked below).
MANY = 50_000


@pytest.fixture
def large_tables():
    if connection.vendor != "postgresql":
        pytest.fail("needs DATABASE_URL pointing at PostgreSQL")
    army = Claimant.objects.create(name="Army press office")
    agency = Claimant.objects.create(name="State news agency")
    wire = Source.objects.create(name="Wire report", url="https://wire.example/story")
    template = Claim.objects.create(text="Template row.", claimant=army)
    # Every other column copied from one claim made the ordinary way, so new columns need no change here.
    columns = ", ".join(
        f.column for f in Claim._meta.concrete_fields if f.column not in ("id", "text", "search_document")
    )
    with connection.cursor() as cursor:
        # Half English, half Arabic ("shelling near village number k"), with a long tail of
        # words (5,000 village numbers) as real text has; the trigger indexes each row.
        cursor.execute(  # column names come from the model, not from input
            f"INSERT INTO claims_claim (text, {columns})"  # noqa: S608
            " SELECT CASE WHEN n %% 2 = 0 THEN 'Shelling reported near village ' || n %% 5000 || ' overnight.'"
            f" ELSE 'قصف قرب القرية رقم ' || n %% 5000 END, {columns}"
            " FROM claims_claim, generate_series(1, %s) AS n WHERE id = %s",
            [MANY, template.pk],
        )
    by_text = Claim.objects.create(text="The opposition retreated 20 km from the river.", claimant=army)
    by_arabic = Claim.objects.create(text="انسحبت قوات المعارضة ٢٠ كم من النهر", claimant=army)
    by_quote = Claim.objects.create(text="Forces moved back from the front.", claimant=army)
    Evidence.objects.create(claim=by_quote, source=wire, role="made", quote="Troops were retreating along the road.")
    by_claimant = Claim.objects.create(text="Five fighters were captured.", claimant=agency)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    return {"text": by_text, "arabic": by_arabic, "quote": by_quote, "claimant": by_claimant}


def test_the_gin_index_replaces_the_english_only_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('claims_claim', 'claims_evidence')"
        )
        indexes = dict(cursor.fetchall())

    assert "USING gin (search_document)" in indexes["claim_search_document_idx"]
    assert "claim_text_fts_idx" not in indexes
    assert "evidence_quote_fts_idx" not in indexes


def test_search_in_any_language_is_an_index_scan_that_a_seq_scan_would_replace(large_tables):
    # when a fact-checker searches in English and in Arabic
    english, arabic = Claim.objects.search("retreat"), Claim.objects.search("المعارضه")

    # then PostgreSQL reads the GIN index, not every row
    for found in (english, arabic):
        plan = found.explain()
        assert "Bitmap Index Scan on claim_search_document_idx" in plan, plan
    assert set(english) == {large_tables["text"], large_tables["quote"]}
    assert list(arabic) == [large_tables["arabic"]]
    assert list(Claim.objects.search("news agency")) == [large_tables["claimant"]]

    # and without the index (dropped inside this test's transaction) it would read the table
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX claim_search_document_idx")
    assert "Seq Scan on claims_claim" in english.explain()
