# ruff: noqa: S608 -- only whole numbers from Size are formatted into this SQL
"""Fill the claim tables with a newsroom's year in SQL: a million claims in minutes.

One ``INSERT ... SELECT FROM generate_series`` per table, in the database of
Django's default connection (a scratch database in the benchmarks, the test
database in the EXPLAIN tests). Words come from fixed lists picked by the row
number, so every fill of a size is the same data and searches have known hits:

- ``shelling`` is in every claim (a common term), ``village <n>`` makes each
  claim's number a rare term, ``ceasefire`` is in about one claim in 1,000;
- quotes add ``residents`` everywhere and ``convoy`` to one evidence in 500;
- claimants are "Claimant <n> press office"; sources spread over 50 sites,
  each with ``checks`` finished re-checks, the last one summarised on the
  source and on its claims as the check service does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

TABLES = (
    "claims_evidence, claims_statuschange, claims_sourcecheck, claims_claim, "
    "claims_article, claims_source, claims_claimant"
)
STATUSES = "ARRAY['unverified','unconfirmed','confirmed','disputed','false']"


@dataclass(frozen=True)
class Size:
    claims: int
    sources: int
    checks: int = 2  # finished checks per source

    @property
    def claimants(self) -> int:
        return max(20, self.claims // 200)


def _steps(size: Size) -> list[str]:
    # Whole numbers only reach the SQL below (S608: nothing else is formatted into it).
    n, s, c, k = int(size.claims), int(size.sources), int(size.checks), int(size.claimants)
    return [
        f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE",
        f"""INSERT INTO claims_claimant (name, kind, description, is_archived, created_at)
            SELECT 'Claimant ' || g || ' press office', 'organisation', '', false, now()
            FROM generate_series(1, {k}) g""",
        f"""INSERT INTO claims_source (name, kind, url, publisher_id, notes, is_archived, created_at,
                is_monitored, consecutive_failures, consecutive_gone, etag, last_modified, content_hash,
                lease_token, last_outcome, next_check_at)
            SELECT 'Report ' || g, 'web', 'https://site' || (g % 50) || '.example/story/' || g,
                1 + (g % {k}), '', false, now(), true, 0, 0, '', '', '', '', 'unchanged',
                now() + (g % 360) * interval '1 minute'
            FROM generate_series(1, {s}) g""",
        f"""INSERT INTO claims_sourcecheck (source_id, state, trigger, requested_at, started_at, finished_at,
                outcome, reason, final_url, http_status, duration_ms)
            SELECT 1 + (g % {s}), 'done', 'schedule', t, t, t + interval '1 second',
                CASE WHEN g % 10 = 0 THEN 'changed' ELSE 'unchanged' END, 'Checked.', '', 200, 120
            FROM generate_series(1, {s * c}) g,
                LATERAL (SELECT now() - (g * interval '1 minute') AS t) at""",
        """UPDATE claims_source s SET last_check_id = last.id, last_checked_at = last.finished_at
            FROM (SELECT DISTINCT ON (source_id) source_id, id, finished_at FROM claims_sourcecheck
                  ORDER BY source_id, finished_at DESC, id DESC) last
            WHERE last.source_id = s.id""",
        # The claim's last check is computed here from the sources its evidence (below) will
        # cite: updating a million claims afterwards costs more than the whole insert.
        f"""INSERT INTO claims_claim (text, claimant_id, status, status_changed_at, version, needs_review,
                review_reason, review_flagged_at, is_archived, created_at, updated_at, last_check_id)
            SELECT 'Shelling reported near village ' || g || ' overnight'
                    || CASE WHEN g % 1000 = 7 THEN ', ceasefire broken' ELSE '' END || '.',
                1 + (g % {k}), ({STATUSES})[1 + (g % 5)], t, 1 + (g % 3),
                g % 50 = 0, CASE WHEN g % 50 = 0 THEN 'Source changed.' ELSE '' END,
                CASE WHEN g % 50 = 0 THEN t END, g % 100 = 99, t, t,
                (SELECT k.id FROM claims_source s JOIN claims_sourcecheck k ON k.id = s.last_check_id
                 WHERE s.id IN (1 + (g % {s}), CASE WHEN g % 3 = 1 THEN 1 + ((g * 7) % {s}) END)
                 ORDER BY k.finished_at DESC, k.id DESC LIMIT 1)
            FROM generate_series(1, {n}) g,
                LATERAL (SELECT now() - ((({n}::bigint - g) * 31536) / {n}) * interval '1000 seconds' AS t) at""",
        f"""INSERT INTO claims_evidence (claim_id, source_id, role, quote, note, quote_state, quote_change,
                added_at)
            SELECT g, 1 + (g % {s}), 'made',
                'Residents heard shelling near village ' || g
                    || CASE WHEN g % 500 = 3 THEN ' as a convoy passed' ELSE '' END || '.',
                '', 'intact', '', now()
            FROM generate_series(1, {n}) g""",
        f"""INSERT INTO claims_evidence (claim_id, source_id, role, quote, note, quote_state, quote_change,
                added_at)
            SELECT g, 1 + ((g * 7) % {s}), 'supports', '', '', 'unchecked', '', now()
            FROM generate_series(1, {n}, 3) g
            WHERE 1 + ((g * 7) % {s}) <> 1 + (g % {s})""",
        "ANALYZE",
    ]


def fill(size: Size, *, echo: bool = False) -> None:
    """Replace every claim, source and check with ``size`` generated rows (PostgreSQL only)."""
    import time

    with connection.cursor() as cursor:
        for step in _steps(size):
            started = time.monotonic()
            cursor.execute(step)
            if echo:
                print(f"  {time.monotonic() - started:6.1f} s  {' '.join(step.split())[:70]}", flush=True)
