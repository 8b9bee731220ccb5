"""Claim edits and evidence changes: validation and optimistic concurrency."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from claims.models import Claim
from claims.services.editing import claim_create, claim_update
from claims.services.errors import StaleEdit
from claims.services.evidence import evidence_add, evidence_remove, evidence_update
from claims.services.review import claim_flag_for_review, claim_mark_reviewed
from tests.factories import ClaimFactory, EvidenceFactory, OrganisationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_claim_create_starts_unverified_with_history(editor):
    claim = claim_create(text="  Five fighters were captured. ", claimant_id=OrganisationFactory().pk, user=editor)
    assert claim.text == "Five fighters were captured."
    assert claim.status == "unverified"
    assert claim.history.get().changed_by == editor


def test_over_long_claim_text_is_refused():
    claim = ClaimFactory(text="Short.")
    with pytest.raises(ValidationError) as error:
        claim_update(claim_id=claim.pk, expected_version=claim.version, user=None, text="x" * 1001)
    assert "under 1000 characters" in error.value.message_dict["text"][0]
    assert Claim.objects.get(pk=claim.pk).text == "Short."


def test_status_is_not_a_plain_field():
    claim = ClaimFactory()
    with pytest.raises(ValidationError) as error:
        claim_update(claim_id=claim.pk, expected_version=claim.version, user=None, status="confirmed")
    assert "status" in error.value.message_dict
    assert Claim.objects.get(pk=claim.pk).status == "unverified"


def test_stale_plain_edit_is_refused():
    claim = ClaimFactory(text="Original.")
    claim_update(claim_id=claim.pk, expected_version=claim.version, user=None, text="First edit.")
    with pytest.raises(StaleEdit):
        claim_update(claim_id=claim.pk, expected_version=claim.version, user=None, text="Second edit.")
    assert Claim.objects.get(pk=claim.pk).text == "First edit."


def test_adding_evidence_bumps_the_version_and_refuses_duplicates():
    claim = ClaimFactory()
    source = SourceFactory()
    evidence_add(claim_id=claim.pk, source_id=source.pk, role="supports", quote="20 km", user=None)
    assert Claim.objects.get(pk=claim.pk).version == claim.version + 1
    with pytest.raises(ValidationError) as error:
        evidence_add(claim_id=claim.pk, source_id=source.pk, role="supports", user=None)
    assert "already linked" in error.value.message_dict["source"][0]


def test_unknown_role_is_refused():
    with pytest.raises(ValidationError):
        evidence_add(claim_id=ClaimFactory().pk, source_id=SourceFactory().pk, role="likes", user=None)


def test_cannot_remove_the_source_a_confirmed_claim_rests_on():
    claim = ClaimFactory(status="confirmed")
    link = EvidenceFactory(claim=claim, role="supports")
    with pytest.raises(ValidationError):
        evidence_remove(evidence_id=link.pk, user=None)
    assert claim.evidence.count() == 1


def test_flag_once_per_reason_and_clear_on_review():
    claim = ClaimFactory()
    assert claim_flag_for_review(claim_id=claim.pk, reason="Quote missing") is True
    assert claim_flag_for_review(claim_id=claim.pk, reason="Quote missing") is False
    assert Claim.objects.get(pk=claim.pk).status == "unverified"  # a flag never changes the status
    assert claim_mark_reviewed(claim_id=claim.pk) is True
    assert Claim.objects.get(pk=claim.pk).needs_review is False


def test_editing_a_quote_resets_its_verdict_and_makes_the_source_due():
    # given: a quote a re-check found missing, on a source not due for hours
    later = timezone.now() + timedelta(hours=6)
    link = EvidenceFactory(quote="20 km", quote_state="missing", quote_change="gone", source__next_check_at=later)
    # when
    updated = evidence_update(evidence_id=link.pk, user=None, quote="  some 20km (12 miles)  ")
    # then
    assert (updated.quote, updated.quote_state, updated.quote_change) == ("some 20km (12 miles)", "unchecked", "")
    link.source.refresh_from_db()
    assert link.source.next_check_at <= timezone.now()
    assert Claim.objects.get(pk=link.claim_id).version == link.claim.version + 1


def test_editing_a_note_keeps_the_verdict():
    link = EvidenceFactory(quote="20 km", quote_state="intact")
    assert evidence_update(evidence_id=link.pk, user=None, note="Wire copy").quote_state == "intact"


def test_evidence_update_refuses_unknown_fields_and_roles():
    link = EvidenceFactory()
    with pytest.raises(ValidationError):
        evidence_update(evidence_id=link.pk, user=None, claim=ClaimFactory())
    with pytest.raises(ValidationError):
        evidence_update(evidence_id=link.pk, user=None, role="likes")


def test_a_source_url_must_be_http_or_https():
    source = SourceFactory.build(url="ftp://files.example/report.txt", publisher=None)
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "url" in error.value.message_dict
