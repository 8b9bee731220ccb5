"""The claim list reads the benchmarks load and the plan checks explain.

Every ordering and every filter of ``GET /api/claims/``, alone and combined,
and searches for a rare term, a common one, a quote-only term and a claimant
name, against data made by ``bench/fill.py``. ``inspect_reads`` runs each read
once in process, counts its SQL queries and EXPLAINs the one that reads
claims, so the EXPLAIN test and ``make bench-small`` judge the very SQL the
API sends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

QUERY_BUDGET = 4  # queries per request, whatever the page size
SEQ_SCAN = re.compile(r"Seq Scan on claims_claim\b")
# Reads allowed a Seq Scan of claims: none (search has used the stored search document since 0015).
KNOWN_SCANS: set[str] = set()


@dataclass(frozen=True)
class Read:
    name: str
    path: str


def list_reads(claims: int) -> list[Read]:
    """The list reads for a fill of ``claims`` claims (ids and terms that exist in it)."""
    since = (timezone.now() - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    rare = max(1, claims // 2 + 7)
    reads = {
        "list": "",
        "status": "status=confirmed",
        "status_two": "status=confirmed&status=false",
        "needs_review": "needs_review=true",
        "claimant": "claimant=7",
        "article": "article=1",
        "source": "source=42",
        "changed_since": f"changed_since={since}",
        "archived": "archived=true",
        "q_rare": f"q={rare}",
        "q_common": "q=shelling",
        "q_quote": "q=convoy",
        "q_claimant": "q=Claimant+42+press",
        "combined": "status=confirmed&needs_review=false&ordering=-created_at",
    }
    for ordering in ("updated_at", "created_at", "-created_at", "id", "-id", "status", "-status"):
        reads[f"order_{ordering.replace('-', 'desc_')}"] = f"ordering={ordering}"
    return [Read(name, f"/api/claims/?{query}" if query else "/api/claims/") for name, query in reads.items()]


@dataclass
class Inspection:
    read: Read
    status: int
    queries: int
    plan: str

    @property
    def seq_scan(self) -> bool:
        return bool(SEQ_SCAN.search(self.plan))

    @property
    def problems(self) -> list[str]:
        found = []
        if self.status != 200:
            found.append(f"answered {self.status}")
        if self.queries > QUERY_BUDGET:
            found.append(f"{self.queries} queries (budget {QUERY_BUDGET})")
        if self.seq_scan and self.read.name not in KNOWN_SCANS:
            found.append("Seq Scan on claims_claim")
        return found


def _claims_query(captured: list[dict[str, Any]]) -> str:
    for query in captured:
        if re.match(r'SELECT .* FROM "claims_claim"', query["sql"], re.S):
            return query["sql"]
    return ""


def inspect_read(
    client: Any, read: Read, *, page_size: int = 50, explain: bool = True, seqscan: bool = True
) -> Inspection:
    """Run one read through the API in process: status, query count, and the plan of its claims query.

    ``seqscan=False`` explains with sequential scans priced out (enable_seqscan off): on a small
    table PostgreSQL rightly prefers reading it whole, so what a small run can check is that an
    index path exists; a large table (the integration test, ``make bench``) checks the real choice.
    """
    sep = "&" if "?" in read.path else "?"
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{read.path}{sep}page_size={page_size}")
    sql = _claims_query(ctx.captured_queries)
    plan = ""
    if sql and explain:
        with connection.cursor() as cursor:
            cursor.execute(f"SET enable_seqscan = {'on' if seqscan else 'off'}")
            try:
                cursor.execute(f"EXPLAIN {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            finally:
                cursor.execute("RESET enable_seqscan")
    return Inspection(read, response.status_code, len(ctx.captured_queries), plan)
