"""Listing claims: keyset pagination, filters, search, ordering and a fixed query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Claim, SourceCheck
from tests.factories import ArticleFactory, ClaimFactory, EvidenceFactory, OrganisationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_pages_walk_every_claim_once_newest_change_first(viewer_api):
    claims = [ClaimFactory() for _ in range(7)]
    seen, url = [], "/api/claims/?page_size=3"
    while url:
        response = viewer_api.get(url)
        seen += ids(response)
        url = response.json()["next"]
    assert seen == [c.pk for c in sorted(claims, key=lambda c: (c.updated_at, c.pk), reverse=True)]


def test_a_cursor_is_not_shifted_by_claims_added_meanwhile(viewer_api):
    for _ in range(4):
        ClaimFactory()
    first = viewer_api.get("/api/claims/?page_size=2&ordering=-id")
    ClaimFactory()  # inserted while the client reads
    second = viewer_api.get(first.json()["next"])
    assert ids(second) == sorted(Claim.objects.values_list("id", flat=True))[:4][::-1][2:]


def test_previous_links_lead_back(viewer_api):
    for _ in range(5):
        ClaimFactory()
    first = viewer_api.get("/api/claims/?page_size=2&ordering=id")
    second = viewer_api.get(first.json()["next"])
    back = viewer_api.get(second.json()["previous"])
    assert ids(back) == ids(first)
    assert first.json()["previous"] is None


def test_page_size_is_capped_at_100(viewer_api):
    claimant = OrganisationFactory()
    Claim.objects.bulk_create([Claim(text=f"Claim {n}", claimant=claimant) for n in range(105)])
    assert len(ids(viewer_api.get("/api/claims/?page_size=1000"))) == 100
    assert len(ids(viewer_api.get("/api/claims/"))) == 50


@pytest.mark.parametrize("bad", ["cursor=bm9wZQ", "page_size=0", "page_size=abc", "ordering=text", "cursor=%00"])
def test_bad_paging_parameters_are_400(viewer_api, bad):
    response = viewer_api.get(f"/api/claims/?{bad}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] in {"cursor", "page_size", "ordering"}


@pytest.mark.parametrize(
    "ordering", ["updated_at", "-updated_at", "created_at", "-created_at", "id", "-id", "status", "-status"]
)
def test_each_ordering_breaks_ties_by_id(viewer_api, ordering):
    for status in ["false", "confirmed", "confirmed", "unverified", "disputed"]:
        ClaimFactory(status=status)
    field, descending = ordering.removeprefix("-"), ordering.startswith("-")
    expected = sorted(Claim.objects.all(), key=lambda c: (getattr(c, field), c.pk), reverse=descending)
    seen, url = [], f"/api/claims/?page_size=2&ordering={ordering}"
    while url:
        response = viewer_api.get(url)
        seen += ids(response)
        url = response.json()["next"]
    assert seen == [c.pk for c in expected]


def test_filters(viewer_api):
    source = SourceFactory()
    article = ArticleFactory()
    confirmed = ClaimFactory(status="confirmed", article=article)
    false = ClaimFactory(status="false")
    flagged = ClaimFactory(needs_review=True)
    EvidenceFactory(claim=false, source=source, role="refutes")
    EvidenceFactory(claim=false, source=source, role="made")  # two links, one row in the list
    Claim.objects.filter(pk=confirmed.pk).update(updated_at=timezone.now() - timedelta(days=3))
    assert set(ids(viewer_api.get("/api/claims/?status=confirmed&status=false"))) == {confirmed.pk, false.pk}
    assert ids(viewer_api.get(f"/api/claims/?claimant={false.claimant_id}")) == [false.pk]
    assert ids(viewer_api.get(f"/api/claims/?article={article.pk}")) == [confirmed.pk]
    assert ids(viewer_api.get(f"/api/claims/?source={source.pk}")) == [false.pk]
    assert ids(viewer_api.get("/api/claims/?needs_review=true")) == [flagged.pk]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert confirmed.pk not in ids(viewer_api.get("/api/claims/", {"changed_since": since}))
    assert set(ids(viewer_api.get("/api/claims/", {"changed_since": since}))) == {false.pk, flagged.pk}


@pytest.mark.parametrize(
    "query", ["status=maybe", "claimant=abc", "claimant=1.5", "changed_since=yesterday", "needs_review=perhaps"]
)
def test_invalid_filter_values_are_400_naming_the_parameter(viewer_api, query):
    response = viewer_api.get(f"/api/claims/?{query}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == query.split("=")[0]


@pytest.mark.integration  # stemming is PostgreSQL full-text search; SQLite falls back to substrings
def test_search_finds_claim_text_and_quotes(viewer_api):
    bridge = ClaimFactory(text="The convoy crossed the river bridge at dawn.")
    quoted = ClaimFactory(text="Troops withdrew.")
    EvidenceFactory(claim=quoted, quote="soldiers were seen retreating from the airport")
    ClaimFactory(text="Unrelated statement about the weather.")
    assert ids(viewer_api.get("/api/claims/?q=bridges")) == [bridge.pk]  # stemmed full-text match
    assert ids(viewer_api.get("/api/claims/?q=airport")) == [quoted.pk]


@pytest.mark.parametrize(
    "query", ["'; DROP TABLE claims_claim; --", "<script>alert(1)</script>", "a & | ! ( :*", '"unclosed']
)
def test_search_takes_any_text_safely(viewer_api, query):
    ClaimFactory(text="The convoy crossed the bridge.")
    response = viewer_api.get("/api/claims/", {"q": query})
    assert response.status_code == 200
    assert Claim.objects.count() == 1


def _claims_with_everything(count: int) -> None:
    for _ in range(count):
        claim = ClaimFactory()
        for role in ("made", "supports"):
            link = EvidenceFactory(claim=claim, role=role)
            SourceCheck.objects.create(
                source=link.source, state="done", outcome="unchanged", finished_at=timezone.now()
            )


def _list_queries(client) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/claims/?page_size=100")
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


def test_the_query_count_does_not_grow_with_the_page(viewer_api):
    _claims_with_everything(1)
    one = _list_queries(viewer_api)
    _claims_with_everything(49)
    fifty = _list_queries(viewer_api)
    assert (one[1], fifty[1]) == (1, 50)
    assert one[0] == fifty[0]


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        # found by schemathesis: an offset Python accepts and PostgreSQL refuses
        ("0113-04-29T15:29:51-18:32", 200),
        ("2024-12-04T10:00:00+23:59", 200),
        # converting to UTC would leave the calendar
        ("0001-01-01T00:00:00+05:00", 400),
    ],
)
def test_changed_since_accepts_any_iso_offset_and_never_errors(viewer_api, since, expected):
    ClaimFactory()
    response = viewer_api.get("/api/claims/", {"changed_since": since})
    assert response.status_code == expected, response.content
