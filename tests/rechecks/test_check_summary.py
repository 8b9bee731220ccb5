"""The last-check summaries on sources and claims follow the checks and the evidence."""

from __future__ import annotations

import pytest

from claims.models import Claim, Evidence, Source
from claims.services.checking import source_check_now
from claims.services.evidence import evidence_add, evidence_remove
from tests.factories import ClaimFactory, SourceFactory
from tests.fetching.servers import PageServer, article
from tests.rechecks.stack import cite

pytestmark = pytest.mark.django_db


def test_a_finished_check_becomes_the_last_one_of_its_source_and_every_claim_citing_it(pages: PageServer) -> None:
    # given a source cited by two claims
    url = pages.set("/story", body=article())
    claim, _evidence, source = cite(url)
    other = ClaimFactory()
    evidence_add(claim_id=other.pk, source_id=source.pk, role=Evidence.Role.SUPPORTS, user=None)

    # when it is checked
    check = source_check_now(source_id=source.pk)

    # then the source and both claims name that check
    assert Source.objects.get(pk=source.pk).last_check_id == check.pk
    assert set(Claim.objects.filter(last_check=check).values_list("pk", flat=True)) == {claim.pk, other.pk}


def test_linking_and_unlinking_a_source_recomputes_the_claims_last_check(pages: PageServer) -> None:
    # given a checked source and a claim that does not cite it yet
    url = pages.set("/story", body=article())
    _claim, _evidence, source = cite(url)
    check = source_check_now(source_id=source.pk)
    claim = ClaimFactory()
    assert Claim.objects.get(pk=claim.pk).last_check_id is None

    # when the claim links it, then unlinks it
    evidence = evidence_add(claim_id=claim.pk, source_id=source.pk, role=Evidence.Role.SUPPORTS, user=None)
    linked = Claim.objects.get(pk=claim.pk).last_check_id
    evidence_remove(evidence_id=evidence.pk, user=None)

    # then the summary follows: that check while linked, none after
    assert linked == check.pk
    assert Claim.objects.get(pk=claim.pk).last_check_id is None


def test_the_newest_check_across_a_claims_sources_wins(pages: PageServer) -> None:
    first_url = pages.set("/first", body=article())
    second_url = pages.set("/second", body=article())
    claim, _evidence, first = cite(first_url)
    second = SourceFactory(url=second_url)
    evidence_add(claim_id=claim.pk, source_id=second.pk, role=Evidence.Role.SUPPORTS, user=None)

    older = source_check_now(source_id=second.pk)
    newer = source_check_now(source_id=first.pk)
    # re-linking the older source's claim recomputes from both sources: the newer check stays
    evidence_add(claim_id=claim.pk, source_id=second.pk, role=Evidence.Role.REFUTES, user=None)

    assert older.finished_at <= newer.finished_at
    assert Claim.objects.get(pk=claim.pk).last_check_id == newer.pk
