"""Every claim list read costs a fixed number of queries, and on a large table an index scan."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.fill import Size, fill
from bench.reads import QUERY_BUDGET, inspect_read, list_reads
from claims.models import Evidence
from tests.factories import ClaimFactory, EvidenceFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page_size", [1, 100])
def test_every_list_read_stays_within_the_query_budget_at_any_page_size(viewer_api, page_size: int) -> None:
    # given claims with two links each, claimants in organisations
    organisation = OrganisationFactory()
    for n in range(12):
        claim = ClaimFactory(
            text=f"Shelling reported near village {n}.", claimant=PersonFactory(organisation=organisation)
        )
        EvidenceFactory(claim=claim, quote=f"Residents heard shelling near village {n}.")
        EvidenceFactory(claim=claim, role=Evidence.Role.SUPPORTS)

    # when each read is made, then it answers within the budget (authentication and permissions included)
    for read in list_reads(claims=12):
        inspection = inspect_read(viewer_api, read, page_size=page_size, explain=False)
        assert inspection.status == 200, read
        assert inspection.queries <= QUERY_BUDGET, (read, inspection.queries)


def test_a_claims_detail_stays_within_the_query_budget(viewer_api, claim, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = viewer_api.get(f"/api/claims/{claim.pk}/")
    assert response.status_code == 200


@pytest.mark.integration
def test_no_list_read_scans_the_claims_table(viewer_api) -> None:
    if connection.vendor != "postgresql":
        pytest.fail("needs DATABASE_URL pointing at PostgreSQL")
    # given a table large enough that a sequential scan is what PostgreSQL would pick for a bad query
    size = Size(claims=200_000, sources=2_000, checks=2)
    fill(size)

    # when every list read is explained, then none reads the whole claims table
    problems = {}
    for read in list_reads(size.claims):
        inspection = inspect_read(viewer_api, read)
        if inspection.problems:
            problems[read.name] = (inspection.problems, inspection.plan)
    assert not problems, problems
