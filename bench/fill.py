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
from typing import Any

from django.db import connection
from django.db.models import Model

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


def _insert(model: type[Model], exprs: dict[str, str], rows: str) -> tuple[str, list[Any]]:
    """INSERT ... SELECT with ``exprs`` per column from ``rows``; every other column gets its default.

    Columns other work adds later (with a default or nullable) are filled in, so the
    benchmark keeps working as the schema grows.
    """
    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.column in exprs:
            values.append(exprs[field.column].replace("%", "%%"))
        elif field.null and not field.has_default():
            values.append("NULL")
        else:  # its default, or "" for a blank text column
            values.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
    rows = rows.replace("%", "%%")
    return f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} {rows}", params


def _steps(size: Size) -> list[tuple[str, list[Any]]]:
    from claims.models import Claim, Claimant, Evidence, Source, SourceCheck

    # Whole numbers only reach the SQL below (S608: nothing else is formatted into it).
    n, s, c, k = int(size.claims), int(size.sources), int(size.checks), int(size.claimants)
    now = "now()"
    return [
        (f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE", []),
        _insert(
            Claimant,
            {"name": "'Claimant ' || g || ' press office'", "kind": "'organisation'", "created_at": now},
            f"FROM generate_series(1, {k}) g",
        ),
        _insert(
            Source,
            {
                "name": "'Report ' || g",
                "url": "'https://site' || (g % 50) || '.example/story/' || g",
                "publisher_id": f"1 + (g % {k})",
                "created_at": now,
                "last_outcome": "'unchanged'",
                "next_check_at": "now() + (g % 360) * interval '1 minute'",
            },
            f"FROM generate_series(1, {s}) g",
        ),
        _insert(
            SourceCheck,
            {
                "source_id": f"1 + (g % {s})",
                "state": "'done'",
                "requested_at": "t",
                "started_at": "t",
                "finished_at": "t + interval '1 second'",
                "outcome": "CASE WHEN g % 10 = 0 THEN 'changed' ELSE 'unchanged' END",
                "reason": "'Checked.'",
                "http_status": "200",
                "duration_ms": "120",
            },
            f"FROM generate_series(1, {s * c}) g, LATERAL (SELECT now() - (g * interval '1 minute') AS t) at",
        ),
        (
            """UPDATE claims_source s SET last_check_id = last.id, last_checked_at = last.finished_at
            FROM (SELECT DISTINCT ON (source_id) source_id, id, finished_at FROM claims_sourcecheck
                  ORDER BY source_id, finished_at DESC, id DESC) last
            WHERE last.source_id = s.id""",
            [],
        ),
        # The claim's last check is computed here from the sources its evidence (below) will
        # cite: updating a million claims afterwards costs more than the whole insert.
        _insert(
            Claim,
            {
                "text": "'Shelling reported near village ' || g || ' overnight'"
                " || CASE WHEN g % 1000 = 7 THEN ', ceasefire broken' ELSE '' END || '.'",
                "claimant_id": f"1 + (g % {k})",
                "status": f"({STATUSES})[1 + (g % 5)]",
                "status_changed_at": "t",
                "version": "1 + (g % 3)",
                "needs_review": "g % 50 = 0",
                "review_reason": "CASE WHEN g % 50 = 0 THEN 'Source changed.' ELSE '' END",
                "review_flagged_at": "CASE WHEN g % 50 = 0 THEN t END",
                "is_archived": "g % 100 = 99",
                "created_at": "t",
                "updated_at": "t",
                "last_check_id": f"""(SELECT k.id FROM claims_source s
                    JOIN claims_sourcecheck k ON k.id = s.last_check_id
                    WHERE s.id IN (1 + (g % {s}), CASE WHEN g % 3 = 1 THEN 1 + ((g * 7) % {s}) END)
                    ORDER BY k.finished_at DESC, k.id DESC LIMIT 1)""",
            },
            f"""FROM generate_series(1, {n}) g,
                LATERAL (SELECT now() - ((({n}::bigint - g) * 31536) / {n}) * interval '1000 seconds' AS t) at""",
        ),
        _insert(
            Evidence,
            {
                "claim_id": "g",
                "source_id": f"1 + (g % {s})",
                "role": "'made'",
                "quote": "'Residents heard shelling near village ' || g"
                " || CASE WHEN g % 500 = 3 THEN ' as a convoy passed' ELSE '' END || '.'",
                "quote_state": "'intact'",
                "added_at": now,
            },
            f"FROM generate_series(1, {n}) g",
        ),
        _insert(
            Evidence,
            {"claim_id": "g", "source_id": f"1 + ((g * 7) % {s})", "role": "'supports'", "added_at": now},
            f"FROM generate_series(1, {n}, 3) g WHERE 1 + ((g * 7) % {s}) <> 1 + (g % {s})",
        ),
        ("ANALYZE", []),
    ]


BULK_TABLES = ("claims_claim", "claims_evidence", "claims_claimant")
# The search document the triggers of migration 0015 keep, computed once per claim after the fill.
SEARCH_DOCUMENT = """UPDATE claims_claim
    SET search_document = claims_claim_document(id, text, language, claimant_id)"""


def _secondary_indexes(cursor: Any) -> list[tuple[str, str]]:
    """(name, definition) of the plain indexes of the bulk tables: dropped for the fill, made again after."""
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
        JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid
        WHERE i.tablename = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary""",
        [list(BULK_TABLES)],
    )
    return cursor.fetchall()


def _has_search_document(cursor: Any) -> bool:
    cursor.execute("SELECT to_regproc('claims_claim_document') IS NOT NULL")
    return bool(cursor.fetchone()[0])


def fill(size: Size, *, echo: bool = False) -> None:
    """Replace every claim, source and check with ``size`` generated rows (PostgreSQL only).

    Row triggers are switched off and plain indexes dropped while the rows go in (a
    trigger per row and index upkeep per row cost more than the inserts), then the
    search document is computed in one pass and the indexes are built again.
    """
    import time

    def timed(sql: str, params: list[Any] | None = None) -> None:
        started = time.monotonic()
        cursor.execute(sql, params or None)
        if echo:
            print(f"  {time.monotonic() - started:6.1f} s  {' '.join(sql.split())[:70]}", flush=True)

    with connection.cursor() as cursor:
        indexes = _secondary_indexes(cursor)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in BULK_TABLES:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        try:
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            for step, params in _steps(size)[:-1]:
                timed(step, params)
            if _has_search_document(cursor):
                timed(SEARCH_DOCUMENT)
        finally:
            # Inside a transaction (the tests), deferred foreign key checks must run before ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in BULK_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        for _name, definition in indexes:
            timed(definition)
        timed("ANALYZE")
