"""The database itself keeps status history append-only (migration 0007), on PostgreSQL and SQLite."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from claims.models import Claim, Evidence, StatusChange
from tests.factories import ClaimFactory, EvidenceFactory

pytestmark = pytest.mark.django_db


def sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def refused(action) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        action()
    return str(caught.value)


def test_sql_update_of_a_history_row_is_refused():
    entry = StatusChange.objects.get(claim=ClaimFactory())
    message = refused(lambda: sql("UPDATE claims_statuschange SET rationale = %s WHERE id = %s", "rewritten", entry.pk))
    assert "append-only" in message
    assert StatusChange.objects.get(pk=entry.pk).rationale == entry.rationale


def test_sql_delete_of_a_history_row_is_refused():
    entry = StatusChange.objects.get(claim=ClaimFactory())
    assert "append-only" in refused(lambda: sql("DELETE FROM claims_statuschange WHERE id = %s", entry.pk))
    assert StatusChange.objects.filter(pk=entry.pk).exists()


def test_queryset_update_and_delete_of_history_are_refused():
    claim = ClaimFactory()
    history = StatusChange.objects.filter(claim=claim)
    refused(lambda: history.update(rationale="rewritten"))
    refused(lambda: history.update(to_status="confirmed"))
    refused(lambda: history.delete())
    assert list(history.values_list("rationale", flat=True)) == [StatusChange.objects.get(claim=claim).rationale]
    assert history.get().rationale != "rewritten"


def test_a_claim_with_history_cannot_be_deleted_in_sql_nor_through_django():
    link = EvidenceFactory()
    claim = link.claim
    message = refused(lambda: sql("DELETE FROM claims_claim WHERE id = %s", claim.pk))
    assert "archive it instead" in message
    with pytest.raises(ProtectedError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).delete()
    # Nothing went: the claim, its evidence, its history.
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert Evidence.objects.filter(pk=link.pk).exists()
    assert StatusChange.objects.filter(claim=claim).count() == 1


def test_new_history_rows_are_still_written():
    claim = ClaimFactory()
    StatusChange.objects.create(
        claim=claim, from_status="unverified", to_status="unconfirmed", rationale="Reviewed.", via="api", version=2
    )
    assert StatusChange.objects.filter(claim=claim).count() == 2


def test_flush_still_empties_the_database():
    # Test teardown flushes by name: TRUNCATE on PostgreSQL, DELETE (past the guard) on SQLite.
    # Inside this test's transaction, so the rollback brings everything back.
    ClaimFactory()
    # PostgreSQL refuses TRUNCATE while this transaction's deferred foreign-key checks are pending.
    connection.check_constraints()
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    assert not StatusChange.objects.exists()
    assert not Claim.objects.exists()
    # The guard is back on after flush.
    claim = ClaimFactory()
    refused(lambda: StatusChange.objects.filter(claim=claim).delete())


def test_every_trigger_is_in_place_after_all_migrations():
    # A later migration that rebuilds a table on SQLite drops its triggers; post_migrate puts them back.
    from claims.append_only import history_triggers_ensure

    assert history_triggers_ensure(connection=connection) == []
