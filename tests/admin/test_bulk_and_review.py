"""The bulk "Set status…" action, the review queue and "Mark reviewed"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, SourceCheck, SourceSnapshot, StatusChange
from claims.services.review import claim_flag_for_review
from tests.admin.conftest import form_data, messages_of
from tests.factories import ClaimFactory, EvidenceFactory, OrganisationFactory, SourceFactory

LIST_URL = reverse("admin:claims_claim_changelist")
QUEUE_URL = reverse("admin:claims_claim_review_queue")

pytestmark = pytest.mark.django_db


def test_set_status_asks_for_status_and_rationale_first(editor_client):
    claims = ClaimFactory.create_batch(2)
    response = editor_client.post(
        LIST_URL, {"action": "set_status", "_selected_action": [c.pk for c in claims], "index": "0"}
    )
    assert response.status_code == 200
    assert response.templates[0].name == "admin/claims/claim/set_status.html"
    data = form_data(response, "set-status-form")
    assert data["post"] == "yes"
    assert not StatusChange.objects.filter(via=StatusChange.Via.BULK).exists()


def test_set_status_applies_allowed_claims_and_reports_refused_ones(editor_client, editor):
    # given: one claim with an independent supporting source, one with only the claimant's own
    supported = ClaimFactory(text="Supported claim.", status=Claim.Status.UNCONFIRMED)
    EvidenceFactory(claim=supported, source=SourceFactory(publisher=OrganisationFactory()), role="supports")
    unsupported = ClaimFactory(text="Unsupported claim.", status=Claim.Status.UNCONFIRMED)
    EvidenceFactory(claim=unsupported, source=SourceFactory(publisher=unsupported.claimant), role="supports")
    page = editor_client.post(
        LIST_URL, {"action": "set_status", "_selected_action": [supported.pk, unsupported.pk], "index": "0"}
    )
    data = form_data(page, "set-status-form")
    data.update(status="confirmed", rationale="Checked by the desk.")
    # when
    response = editor_client.post(LIST_URL, data, follow=True)
    # then
    assert response.status_code == 200
    supported.refresh_from_db()
    unsupported.refresh_from_db()
    assert supported.status == Claim.Status.CONFIRMED
    assert unsupported.status == Claim.Status.UNCONFIRMED
    change = supported.history.first()
    assert (change.changed_by, change.rationale, change.via) == (editor, "Checked by the desk.", "bulk")
    text = " ".join(messages_of(response))
    assert "Not changed: “Unsupported claim.”" in text
    assert "other than the claimant" in text
    assert "Set 1 claim to confirmed." in text


def test_set_status_without_rationale_changes_nothing(editor_client):
    claim = ClaimFactory(status=Claim.Status.UNVERIFIED)
    response = editor_client.post(
        LIST_URL,
        {
            "action": "set_status",
            "_selected_action": [claim.pk],
            "post": "yes",
            "status": "unconfirmed",
            "rationale": "",
        },
    )
    assert response.status_code == 200
    assert "rationale" in response.context["form"].errors
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED


def test_set_status_is_not_offered_without_the_status_permission(viewer_client):
    ClaimFactory()
    choices = viewer_client.get(LIST_URL).context["action_form"]
    assert choices is None


def _flag(claim: Claim, reason: str, when_offset: int, check: SourceCheck | None = None) -> None:
    claim_flag_for_review(claim_id=claim.pk, reason=reason, check=check)
    Claim.objects.filter(pk=claim.pk).update(review_flagged_at=timezone.now() + timedelta(minutes=when_offset))


def test_review_queue_lists_flagged_claims_newest_first_with_reason_and_diff_link(editor_client):
    # given
    older, newer = ClaimFactory(text="Older flag."), ClaimFactory(text="Newer flag.")
    ClaimFactory(text="Not flagged.")
    source = SourceFactory()
    snapshot = SourceSnapshot.objects.create(source=source, text_hash="b" * 64, text="Now different.")
    check = SourceCheck.objects.create(source=source, state="done", outcome="changed", snapshot=snapshot)
    _flag(older, "Source unreachable for 3 checks.", 0)
    _flag(newer, "The quoted passage is no longer in the source.", 5, check=check)
    # when
    response = editor_client.get(QUEUE_URL)
    # then
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.claim.pk for row in rows] == [newer.pk, older.pk]
    html = response.content.decode()
    assert "The quoted passage is no longer in the source." in html
    diff_url = reverse("admin:claims_source_diff", args=[source.pk]) + f"?b={snapshot.pk}"
    assert f'href="{diff_url}"' in html.replace("&amp;", "&")
    assert "Not flagged." not in html


def test_mark_reviewed_from_the_queue_clears_the_flag(editor_client):
    claim = ClaimFactory()
    _flag(claim, "Source changed.", 0)
    data = form_data(editor_client.get(QUEUE_URL), "review-queue-form")
    data["claim"] = f"{claim.pk}:{Claim.objects.get(pk=claim.pk).version}"
    response = editor_client.post(QUEUE_URL, data, follow=True)
    assert "Marked 1 claim as reviewed." in messages_of(response)
    claim.refresh_from_db()
    assert not claim.needs_review
    assert claim.review_reason == ""


def test_mark_reviewed_keeps_a_claim_flagged_again_since_the_queue_was_loaded(editor_client):
    claim = ClaimFactory()
    _flag(claim, "Source changed.", 0)
    seen = Claim.objects.get(pk=claim.pk).version
    _flag(claim, "Source gone.", 1)  # a newer check found something else
    response = editor_client.post(QUEUE_URL, {"claim": f"{claim.pk}:{seen}"}, follow=True)
    assert any("stayed in the queue" in m for m in messages_of(response))
    claim.refresh_from_db()
    assert claim.needs_review
    assert claim.review_reason == "Source gone."


def test_mark_reviewed_list_action(editor_client):
    flagged, plain = ClaimFactory(), ClaimFactory()
    _flag(flagged, "Source changed.", 0)
    response = editor_client.post(
        LIST_URL, {"action": "mark_reviewed", "_selected_action": [flagged.pk, plain.pk], "index": "0"}, follow=True
    )
    assert "Marked 1 claim as reviewed." in messages_of(response)
    assert not Claim.objects.get(pk=flagged.pk).needs_review


def test_viewer_sees_the_queue_but_cannot_mark(viewer_client):
    claim = ClaimFactory()
    _flag(claim, "Source changed.", 0)
    assert viewer_client.get(QUEUE_URL).status_code == 200
    response = viewer_client.post(QUEUE_URL, {"claim": f"{claim.pk}:{Claim.objects.get(pk=claim.pk).version}"})
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).needs_review
