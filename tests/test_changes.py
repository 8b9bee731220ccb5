"""claim_apply_changes: one save of a claim, judged once on the links it leaves, written in one transaction."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim, Evidence, StatusChange
from claims.services.changes import LinkChange, NewLink, claim_apply_changes
from claims.services.errors import StaleEdit
from tests.factories import ClaimFactory, EvidenceFactory, OrganisationFactory, PersonFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim() -> Claim:
    ministry = OrganisationFactory(name="Ministry")
    return ClaimFactory(claimant=PersonFactory(organisation=ministry), status=Claim.Status.UNCONFIRMED)


def stored(claim: Claim) -> tuple:
    row = Claim.objects.values("status", "version", "text").get(pk=claim.pk)
    links = sorted(Evidence.objects.filter(claim=claim).values_list("source_id", "role", "quote"))
    return row, links, StatusChange.objects.filter(claim=claim).count()


def test_add_a_source_edit_a_quote_and_confirm_in_one_save(claim) -> None:
    own = EvidenceFactory(claim=claim, source=SourceFactory(publisher=claim.claimant.organisation), role="made")
    wire = SourceFactory(publisher=OrganisationFactory(name="Wire"))
    applied = claim_apply_changes(
        claim_id=claim.pk,
        expected_version=claim.version,
        fields={"text": "  Forces withdrew 20 km.  "},
        evidence_add=[NewLink(source_id=wire.pk, role="supports", quote="withdrew 20 km")],
        evidence_update=[LinkChange(evidence_id=own.pk, fields={"quote": "we withdrew"})],
        status="confirmed",
        rationale="The wire agency saw it.",
        user=None,
        via=StatusChange.Via.API,
    )
    # one version step, one history row naming it, everything written
    assert (applied.claim.status, applied.claim.version, applied.claim.text) == (
        "confirmed",
        2,
        "Forces withdrew 20 km.",
    )
    entry = applied.claim.history.first()
    assert (entry.from_status, entry.to_status, entry.version, entry.via) == ("unconfirmed", "confirmed", 2, "api")
    assert [e.source_id for e in applied.added] == [wire.pk]
    assert Evidence.objects.get(pk=own.pk).quote == "we withdrew"


def test_the_rule_is_judged_on_the_links_the_save_leaves_and_refusal_writes_nothing(claim) -> None:
    wire = EvidenceFactory(claim=claim, source=SourceFactory(publisher=OrganisationFactory()), role="supports")
    own = SourceFactory(publisher=claim.claimant.organisation)
    before = stored(claim)
    # swapping the independent source for the claimant's own while confirming is refused as a whole
    with pytest.raises(ValidationError) as refused:
        claim_apply_changes(
            claim_id=claim.pk,
            expected_version=claim.version,
            fields={"text": "Changed text."},
            evidence_remove=[wire.pk],
            evidence_add=[NewLink(source_id=own.pk, role="supports")],
            status="confirmed",
            rationale="Looks right.",
            user=None,
        )
    assert "other than the claimant" in refused.value.message_dict["status"][0]
    assert stored(claim) == before


def test_editing_the_link_a_confirmed_status_rests_on_is_refused(claim) -> None:
    wire = EvidenceFactory(claim=claim, source=SourceFactory(publisher=OrganisationFactory()), role="supports")
    Claim.objects.filter(pk=claim.pk).update(status="confirmed")
    before = stored(claim)
    with pytest.raises(ValidationError) as refused:
        claim_apply_changes(
            claim_id=claim.pk,
            expected_version=None,
            evidence_update=[LinkChange(evidence_id=wire.pk, fields={"role": "made"})],
            user=None,
        )
    assert "change its status first" in refused.value.message_dict["source"][0]
    assert stored(claim) == before


def test_changing_the_claimant_to_the_sources_publisher_is_refused_while_confirmed(claim) -> None:
    wire_agency = OrganisationFactory(name="Wire agency")
    EvidenceFactory(claim=claim, source=SourceFactory(publisher=wire_agency), role="supports")
    Claim.objects.filter(pk=claim.pk).update(status="confirmed")
    with pytest.raises(ValidationError) as refused:
        claim_apply_changes(claim_id=claim.pk, expected_version=None, fields={"claimant": wire_agency}, user=None)
    assert "claimant" in refused.value.message_dict


def test_a_stale_version_writes_nothing(claim) -> None:
    before = stored(claim)
    with pytest.raises(StaleEdit):
        claim_apply_changes(
            claim_id=claim.pk,
            expected_version=claim.version - 1 if claim.version > 1 else claim.version + 1,
            status="disputed",
            rationale="AFP disagrees.",
            user=None,
        )
    assert stored(claim) == before


def test_a_link_of_another_claim_is_not_found(claim) -> None:
    other = EvidenceFactory()
    with pytest.raises(Evidence.DoesNotExist):
        claim_apply_changes(claim_id=claim.pk, expected_version=None, evidence_remove=[other.pk], user=None)
    assert Evidence.objects.filter(pk=other.pk).exists()


def test_moving_a_link_to_a_source_and_role_already_linked_is_refused(claim) -> None:
    source = SourceFactory()
    EvidenceFactory(claim=claim, source=source, role="made")
    second = EvidenceFactory(claim=claim, role="made")
    with pytest.raises(ValidationError, match="already linked"):
        claim_apply_changes(
            claim_id=claim.pk,
            expected_version=None,
            evidence_update=[LinkChange(evidence_id=second.pk, fields={"source": source})],
            user=None,
        )
