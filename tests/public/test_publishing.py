"""Editors publish and withdraw claims; the rules hold in the service and the admin."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from claims.models import Claim
from claims.services.errors import StaleEdit
from claims.services.publishing import claim_publish, claim_unpublish
from claims.services.status import claim_change_status
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def test_publishing_keeps_the_first_publication_time(editor):
    claim = ClaimFactory(status="unconfirmed")
    first = claim_publish(claim_id=claim.pk, user=editor)
    assert (first.is_published, first.published_by, first.version) == (True, editor, claim.version + 1)
    again = claim_publish(claim_id=claim.pk, user=editor)  # already published: nothing changes
    assert again.version == first.version
    withdrawn = claim_unpublish(claim_id=claim.pk, user=editor)
    assert not withdrawn.is_published
    republished = claim_publish(claim_id=claim.pk, user=editor)
    assert republished.published_at == first.published_at


def test_an_archived_claim_cannot_be_published():
    claim = ClaimFactory(is_archived=True)
    with pytest.raises(ValidationError) as caught:
        claim_publish(claim_id=claim.pk, user=None)
    assert "is_published" in caught.value.message_dict
    assert not Claim.objects.get(pk=claim.pk).is_published


def test_a_stale_publish_is_refused():
    claim = ClaimFactory()
    with pytest.raises(StaleEdit):
        claim_publish(claim_id=claim.pk, user=None, expected_version=claim.version + 5)


def test_internal_notes_are_kept_with_the_change_and_length_checked():
    claim = ClaimFactory()
    claim_change_status(
        claim_id=claim.pk,
        to_status="unconfirmed",
        rationale="Only the ministry says so.",
        internal_notes="  Call back the press office.  ",
        user=None,
        expected_version=None,
    )
    assert claim.history.first().internal_notes == "Call back the press office."
    with pytest.raises(ValidationError) as caught:
        claim_change_status(
            claim_id=claim.pk,
            to_status="disputed",
            rationale="x",
            internal_notes="n" * 5000,
            user=None,
            expected_version=None,
        )
    assert "internal_notes" in caught.value.message_dict


def _action(client: Client, action: str, claim: Claim):  # type: ignore[no-untyped-def]
    return client.post("/admin/claims/claim/", {"action": action, "_selected_action": [claim.pk]}, follow=True)


def test_an_editor_publishes_and_withdraws_from_the_claim_list(editor_client):
    claim = ClaimFactory(status="unconfirmed")
    response = _action(editor_client, "publish", claim)
    assert "Published 1 claim." in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).is_published
    change = editor_client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert f'href="/facts/claims/{claim.pk}/"' in change
    _action(editor_client, "unpublish", claim)
    assert not Claim.objects.get(pk=claim.pk).is_published


def test_a_fact_checker_cannot_publish(fact_checker):
    client = Client()
    client.force_login(fact_checker)
    claim = ClaimFactory()
    _action(client, "publish", claim)
    assert not Claim.objects.get(pk=claim.pk).is_published


def test_the_change_form_records_public_rationale_and_internal_notes(editor_client):
    claim = ClaimFactory()
    response = editor_client.post(
        f"/admin/claims/claim/{claim.pk}/change/",
        {
            "text": claim.text,
            "claimant": claim.claimant_id,
            "article": claim.article_id,
            "version": claim.version,
            "new_status": "unconfirmed",
            "rationale": "Only the ministry says so.",
            "internal_notes": "Desk only.",
            "evidence-TOTAL_FORMS": 0,
            "evidence-INITIAL_FORMS": 0,
            "history-TOTAL_FORMS": 1,
            "history-INITIAL_FORMS": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    change = claim.history.first()
    assert (change.rationale, change.internal_notes) == ("Only the ministry says so.", "Desk only.")


def test_the_api_says_whether_readers_see_a_claim(editor_client):
    claim = claim_publish(claim_id=ClaimFactory(status="unconfirmed").pk, user=None)
    detail = editor_client.get(f"/api/claims/{claim.pk}/").json()
    listed = editor_client.get("/api/claims/").json()["results"][0]
    for row in (detail, listed):
        assert row["is_published"] is True
        assert row["published_at"].endswith("Z")
