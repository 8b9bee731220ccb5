"""Two editors accepting the same proposal at the same moment make one claim (PostgreSQL, two connections)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from claims.models import Claim
from claims.services.intake import intake_submit
from claims.services.intake_review import proposal_accept

TEXT = "Syrian state media SANA said opposition fighters retreated some 20km from Hama."


@pytest.mark.integration  # PostgreSQL only: the SQLite smoke run deselects it
@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_once_make_one_claim(editor):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    proposal = intake_submit(text=TEXT, title="Hama", user=editor).proposals.get()
    start = threading.Barrier(2, timeout=60)
    results: list[int] = []
    errors: list[BaseException] = []

    def accept() -> None:
        try:
            start.wait()
            results.append(proposal_accept(proposal_id=proposal.pk, user=editor).pk)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()  # each thread has its own connection

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert len(results) == 2 and results[0] == results[1]
    assert Claim.objects.count() == 1
