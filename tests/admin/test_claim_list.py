"""The claim list: badges, filters, full-text search and a query count that does not grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim
from tests.factories import ClaimFactory, EvidenceFactory, PersonFactory

LIST_URL = reverse("admin:claims_claim_changelist")

pytestmark = pytest.mark.django_db


def shown(response) -> set[int]:
    return {claim.pk for claim in response.context["cl"].result_list}


def test_list_shows_status_badge_claimant_article_and_review_reason(editor_client):
    # given
    claim = ClaimFactory(status=Claim.Status.UNCONFIRMED, needs_review=True, review_reason="Quote no longer found.")
    # when
    response = editor_client.get(LIST_URL)
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="status-badge status-unconfirmed"' in html
    assert claim.claimant.name in html
    assert claim.article.title in html
    assert "Quote no longer found." in html
    assert "Review queue (1)" in html


def test_list_is_ordered_by_last_change_and_sortable_by_it(editor_client):
    older, newer = ClaimFactory(), ClaimFactory()
    Claim.objects.filter(pk=older.pk).update(updated_at=newer.updated_at.replace(year=2020))
    default = editor_client.get(LIST_URL)
    assert [c.pk for c in default.context["cl"].result_list] == [newer.pk, older.pk]
    # The "last change" column header sorts ascending when clicked.
    index = default.context["cl"].list_display.index("updated_at")
    ascending = editor_client.get(LIST_URL, {"o": str(index)})
    assert [c.pk for c in ascending.context["cl"].result_list] == [older.pk, newer.pk]


@pytest.mark.parametrize(
    ("param", "value_of"),
    [
        ("status__exact", lambda c: c.status),
        ("claimant__id__exact", lambda c: c.claimant_id),
        ("article__id__exact", lambda c: c.article_id),
        ("needs_review__exact", lambda c: "1" if c.needs_review else "0"),
    ],
)
def test_each_filter_keeps_only_matching_claims(editor_client, param, value_of):
    wanted = ClaimFactory(status=Claim.Status.DISPUTED, needs_review=True, review_reason="Changed.")
    other = ClaimFactory(status=Claim.Status.UNVERIFIED)
    response = editor_client.get(LIST_URL, {param: value_of(wanted)})
    assert response.status_code == 200
    assert shown(response) == {wanted.pk}, other.pk


def test_search_matches_claim_text_by_word(editor_client):
    hit = ClaimFactory(text="Opposition fighters retreated some 20 km from Hama.")
    ClaimFactory(text="Government troops entrenched on the outskirts.")
    # Full-text search matches word forms ("retreat" finds "retreated").
    response = editor_client.get(LIST_URL, {"q": "retreat"})
    assert shown(response) == {hit.pk}


def test_search_matches_claimant_name(editor_client):
    hit = ClaimFactory(claimant=PersonFactory(name="Geir Pedersen"))
    ClaimFactory()
    response = editor_client.get(LIST_URL, {"q": "Pedersen"})
    assert shown(response) == {hit.pk}


def test_search_matches_evidence_quotes(editor_client):
    hit = ClaimFactory(text="Tens of thousands displaced.")
    EvidenceFactory(claim=hit, quote="the fighting, which started last week, displaced families near Idlib")
    ClaimFactory(text="Another claim.")
    response = editor_client.get(LIST_URL, {"q": "Idlib"})
    assert shown(response) == {hit.pk}


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_claims(editor_client, django_assert_max_num_queries):
    # given: 3 claims, each with its own claimant and article
    ClaimFactory.create_batch(3, needs_review=True, review_reason="Source changed.")
    few = _list_queries(editor_client)
    # when: ten times as many
    ClaimFactory.create_batch(27, needs_review=True, review_reason="Source changed.")
    many = _list_queries(editor_client)
    # then
    assert many == few
    with django_assert_max_num_queries(15):
        editor_client.get(LIST_URL)


def test_viewer_sees_the_list_but_no_actions(viewer_client):
    ClaimFactory()
    response = viewer_client.get(LIST_URL)
    assert response.status_code == 200
    assert response.context["action_form"] is None
    assert 'name="action"' not in response.content.decode()
