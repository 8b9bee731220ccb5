"""What an unchanged re-check costs the database: statements, commits and stored bytes (counts, not times)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import SourceCheck
from claims.services.checking import source_check_run
from claims.services.scheduling import source_dispatch
from tests.fetching.servers import PageServer, article
from tests.rechecks.stack import cite

pytestmark = pytest.mark.django_db

# The budget for a check that finds nothing new (run on a reused connection).
MAX_STATEMENTS = 6


def _dispatched(source_id: int) -> tuple[int, str]:
    check, token = source_dispatch(source_id=source_id, on_commit=lambda *args: None)
    assert check is not None and token is not None
    return check.pk, token


def test_an_unchanged_check_runs_at_most_six_statements_with_one_commit(pages: PageServer) -> None:
    # given a source checked once (its snapshot and quote state are stored)
    url = pages.set("/steady", body=article())
    _claim, _evidence, source = cite(url)
    first = source_check_run(**dict(zip(("check_id", "lease_token"), _dispatched(source.pk), strict=True)))
    assert first is not None and first.outcome == "changed"
    check_id, token = _dispatched(source.pk)

    # when it is checked again and the page has not changed
    with CaptureQueriesContext(connection) as queries:
        source_check_run(check_id=check_id, lease_token=token)

    # then the check is recorded unchanged within the budget
    check = SourceCheck.objects.get(pk=check_id)
    assert check.outcome == "unchanged", check.reason
    statements = [q["sql"] for q in queries.captured_queries]
    # Inside the test's transaction each atomic block is a savepoint; in a worker each is one commit.
    blocks = [s for s in statements if s.startswith("SAVEPOINT")]
    data = [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(data) <= MAX_STATEMENTS, "\n".join(data)
    assert len(blocks) == 1, "\n".join(statements)
    # and what it stored is one small check row (no snapshot)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_column_size(c.*) FROM claims_sourcecheck c WHERE id = %s", [check_id])
            assert cursor.fetchone()[0] <= 2048
    assert source.snapshots.count() == 1
