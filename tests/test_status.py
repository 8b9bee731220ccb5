"""The status-change rule and the independence rule, through the service."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Claim, Evidence, StatusChange
from claims.services.errors import StaleEdit
from claims.services.status import claim_change_status
from tests.factories import ClaimFactory, EvidenceFactory, OrganisationFactory, PersonFactory, SourceFactory

pytestmark = pytest.mark.django_db


def change(claim: Claim, to: str, rationale: str = "Checked against two wires.", user=None, version=None):
    return claim_change_status(
        claim_id=claim.pk,
        to_status=to,
        rationale=rationale,
        user=user,
        expected_version=claim.version if version is None else version,
    )


def assert_unchanged(claim: Claim) -> None:
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.status, stored.version) == (claim.status, claim.version)
    assert StatusChange.objects.filter(claim=claim).count() == 1


def test_status_change_records_who_when_from_to_why(editor):
    # given
    claim = ClaimFactory(status="unverified")
    # when
    updated = change(claim, "unconfirmed", "Reviewed; only state media says so.", user=editor)
    # then
    assert updated.status == "unconfirmed"
    assert updated.version == claim.version + 1
    entry = StatusChange.objects.filter(claim=claim).latest()
    assert (entry.from_status, entry.to_status, entry.changed_by, entry.rationale, entry.version) == (
        "unverified",
        "unconfirmed",
        editor,
        "Reviewed; only state media says so.",
        updated.version,
    )


@pytest.mark.parametrize("rationale", ["", "   \n "])
def test_status_change_needs_a_rationale(rationale):
    claim = ClaimFactory()
    with pytest.raises(ValidationError) as error:
        change(claim, "unconfirmed", rationale)
    assert "rationale" in error.value.message_dict
    assert_unchanged(claim)


def test_unknown_status_is_refused():
    claim = ClaimFactory()
    with pytest.raises(ValidationError) as error:
        change(claim, "probably-true")
    assert "Unknown status" in error.value.message_dict["status"][0]
    assert_unchanged(claim)


def test_confirmed_needs_a_supporting_source_from_another_organisation():
    claimant = OrganisationFactory(name="SANA")
    claim = ClaimFactory(claimant=claimant, status="unconfirmed")
    EvidenceFactory(claim=claim, source=SourceFactory(publisher=claimant), role="supports")
    with pytest.raises(ValidationError) as error:
        change(claim, "confirmed")
    assert "other than the claimant (SANA)" in error.value.message_dict["status"][0]
    assert_unchanged(claim)


def test_a_source_from_the_claimants_parent_organisation_is_not_independent():
    # given: SANA belongs to the Syrian government; a government statement "supports" SANA's claim
    government = OrganisationFactory(name="Syrian government")
    sana = OrganisationFactory(name="SANA", organisation=government)
    claim = ClaimFactory(claimant=sana, status="unconfirmed")
    EvidenceFactory(claim=claim, source=SourceFactory(publisher=government), role="supports")
    # when / then
    with pytest.raises(ValidationError):
        change(claim, "confirmed")
    assert_unchanged(claim)


def test_a_person_is_not_independent_of_the_organisation_they_speak_for():
    un = OrganisationFactory(name="United Nations")
    envoy = PersonFactory(name="Envoy", organisation=un)
    claim = ClaimFactory(claimant=envoy)
    EvidenceFactory(claim=claim, source=SourceFactory(publisher=un), role="supports")
    with pytest.raises(ValidationError):
        change(claim, "confirmed")


def test_confirmed_with_an_independent_supporting_source():
    claim = ClaimFactory(status="unconfirmed")
    EvidenceFactory(claim=claim, source=SourceFactory(publisher=OrganisationFactory(name="Reuters")), role="supports")
    assert change(claim, "confirmed").status == "confirmed"


def test_a_refuting_or_unattributed_source_does_not_confirm():
    claim = ClaimFactory(status="unconfirmed")
    EvidenceFactory(claim=claim, source=SourceFactory(publisher=OrganisationFactory()), role="refutes")
    EvidenceFactory(claim=claim, source=SourceFactory(publisher=None), role="supports")
    with pytest.raises(ValidationError):
        change(claim, "confirmed")


def test_false_needs_a_refuting_source():
    claim = ClaimFactory(status="unconfirmed")
    with pytest.raises(ValidationError) as error:
        change(claim, "false")
    assert "refuting source" in error.value.message_dict["status"][0]
    EvidenceFactory(claim=claim, role="refutes")
    assert change(claim, "false").status == "false"


def test_same_status_is_refused():
    claim = ClaimFactory(status="unconfirmed")
    with pytest.raises(ValidationError):
        change(claim, "unconfirmed")


def test_stale_edit_is_refused_and_nothing_is_written():
    # given: two people loaded version 1
    claim = ClaimFactory(status="unverified")
    loaded_version = claim.version
    change(claim, "unconfirmed", version=loaded_version)
    # when: the second saves on top of the version they loaded
    with pytest.raises(StaleEdit) as error:
        change(claim, "disputed", version=loaded_version)
    # then
    assert "changed by someone else" in str(error.value)
    stored = Claim.objects.get(pk=claim.pk)
    assert stored.status == "unconfirmed"
    assert stored.history.count() == 2


def test_status_change_clears_the_review_flag():
    claim = ClaimFactory(needs_review=True, review_reason="Quote missing")
    updated = change(claim, "unconfirmed")
    assert (updated.needs_review, updated.review_reason) == (False, "")


def test_database_refuses_an_invalid_status():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status="maybe")


def test_database_refuses_a_duplicate_claim_source_role_link():
    link = EvidenceFactory(role="supports")
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(claim=link.claim, source=link.source, role="supports")


def test_history_is_append_only():
    entry = StatusChange.objects.get(claim=ClaimFactory())
    entry.rationale = "rewritten"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
