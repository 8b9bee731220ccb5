"""The duplicate finder and twin links."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from claims.intake.similarity import likeness
from claims.models import Claim, ClaimTwin
from claims.services.intake import intake_submit
from claims.services.intake_review import proposal_accept
from claims.services.intake_twins import claim_twin_link, claim_twin_unlink, claim_twins, claim_twins_suggest
from tests.factories import ClaimFactory

SANA = "Opposition fighters retreated some 20 km from government-held Hama, Syria's fourth-largest city."
REWORDED = "Opposition fighters have retreated 20 km from Hama, the government-held fourth-largest city in Syria."


def test_reworded_claim_from_another_outlet_is_alike():
    assert likeness(SANA, REWORDED).score >= 0.7


def test_negated_claim_is_not_a_duplicate():
    denied = "Opposition fighters did not retreat 20 km from government-held Hama, Syria's fourth-largest city."
    alike = likeness(SANA, denied)
    assert alike.score == 0.0 and "negation" in alike.reason


def test_different_distance_is_not_a_duplicate():
    alike = likeness(SANA, SANA.replace("20 km", "10 km"))
    assert alike.score == 0.0 and "figures" in alike.reason


def test_arabic_reworded_is_alike_and_other_places_are_not():
    a = "قالت وكالة سانا إن مقاتلي المعارضة انسحبوا 20 كيلومترا من مدينة حماة"
    b = "انسحب مقاتلو المعارضة مسافة ٢٠ كيلومترا من مدينة حماة بحسب سانا"
    assert likeness(a, b).score >= 0.5
    assert likeness(a, a.replace("حماة", "حمص")).score == 0.0


@pytest.mark.django_db
def test_suggest_then_autolink_only_long_texts(settings):
    settings.INTAKE_TWIN_SUGGEST, settings.INTAKE_TWIN_AUTOLINK = 0.5, 0.85
    existing = ClaimFactory(text=SANA)
    ClaimFactory(
        text="Opposition fighters retreated some 10 km from government-held Hama, Syria's fourth-largest city."
    )
    found = claim_twins_suggest(text=REWORDED)
    assert [s.claim.pk for s in found] == [existing.pk]
    exact = claim_twins_suggest(text=SANA + " ")[0]
    assert exact.auto and exact.score == 1.0
    short = ClaimFactory(text="Hama fell.")
    assert [(s.claim.pk, s.auto) for s in claim_twins_suggest(text="Hama fell")] == [(short.pk, False)]


@pytest.mark.django_db
def test_accepting_a_proposal_links_its_exact_twin_and_verdicts_show_on_both(editor):
    existing = ClaimFactory(text="Opposition fighters retreated some 20km from government-held Hama.", status="false")
    intake = intake_submit(
        text="Syrian state media SANA said opposition fighters retreated some 20km from government-held Hama.",
        title="Another outlet",
        user=editor,
    )
    claim = proposal_accept(
        proposal_id=intake.proposals.get().pk,
        user=editor,
        text="Opposition fighters retreated some 20km from government-held Hama.",
    )
    assert ClaimTwin.objects.get().kind == ClaimTwin.Kind.AUTO
    assert [(c.pk, c.status) for c in claim_twins(claim_id=claim.pk)] == [(existing.pk, Claim.Status.FALSE)]


@pytest.mark.django_db
def test_editor_links_and_unlinks_twins(editor):
    a, b = ClaimFactory(), ClaimFactory()
    link = claim_twin_link(claim_id=b.pk, twin_id=a.pk, user=editor)
    assert (link.first_id, link.second_id, link.kind) == (a.pk, b.pk, ClaimTwin.Kind.EDITOR)
    assert claim_twin_link(claim_id=a.pk, twin_id=b.pk, user=editor).pk == link.pk
    assert [c.pk for c in claim_twins(claim_id=a.pk)] == [b.pk]
    with pytest.raises(ValidationError):
        claim_twin_link(claim_id=a.pk, twin_id=a.pk, user=editor)
    assert claim_twin_unlink(claim_id=a.pk, twin_id=b.pk, user=editor)
    assert claim_twins(claim_id=b.pk) == []
