"""A desk with a published claim, a status change with internal notes, an unpublished and an RTL claim."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from claims.models import Claim, Evidence
from claims.services.publishing import claim_publish
from claims.services.status import claim_change_status
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    OrganisationFactory,
    PersonFactory,
    SourceFactory,
)

PUBLIC_RATIONALE = "A wire agency reporter on the ground saw the captured fighters."
INTERNAL_NOTES = "SECRET-DESK-NOTE: our stringer's name is in the call log."
RTL_TEXT = "أسرنا خمسة مقاتلين قرب الجسر."


@dataclass
class Desk:
    published: Claim
    unpublished: Claim
    rtl: Claim


def publish_confirmed(claim: Claim) -> Claim:
    EvidenceFactory(
        claim=claim,
        source=SourceFactory(
            name="Wire agency report",
            url="https://wire.example/report",
            publisher=OrganisationFactory(name="Wire agency"),
        ),
        role=Evidence.Role.SUPPORTS,
        quote="five fighters were seen in custody",
    )
    claim_change_status(
        claim_id=claim.pk,
        to_status="confirmed",
        rationale=PUBLIC_RATIONALE,
        internal_notes=INTERNAL_NOTES,
        user=None,
        expected_version=None,
    )
    return claim_publish(claim_id=claim.pk, user=None)


def build_desk(settings, base_url: str = "https://facts.example") -> Desk:
    """The claims, and publisher settings as a newsroom would set them."""
    settings.PUBLIC_BASE_URL = base_url
    settings.CLAIMREVIEW_PUBLISHER_NAME = "The Desk"
    settings.CLAIMREVIEW_PUBLISHER_URL = "https://desk.example/"
    settings.CLAIMREVIEW_PUBLISHER_LOGO = "https://desk.example/logo.png"
    settings.CLAIMREVIEW_PUBLISHER_SAME_AS = ["https://www.wikidata.org/wiki/Q1"]
    ministry = OrganisationFactory(name="Ministry of Defence", same_as="https://www.wikidata.org/wiki/Q2")
    spokesperson = PersonFactory(name="Ministry spokesperson", organisation=ministry)
    article = ArticleFactory(
        title="Offensive towards Hama", url="https://news.example/hama", published_on=date(2024, 12, 4)
    )
    claim = ClaimFactory(text="We captured five fighters near the bridge.", claimant=spokesperson, article=article)
    EvidenceFactory(
        claim=claim,
        source=SourceFactory(name="Ministry statement", publisher=ministry, url="https://mod.example/statement"),
        role=Evidence.Role.MADE,
        quote="five fighters were captured",
    )
    published = publish_confirmed(claim)
    unpublished = ClaimFactory(text="The bridge was destroyed overnight.", claimant=ministry, article=article)
    rtl = ClaimFactory(text=RTL_TEXT, claimant=ministry, article=article, status="unverified")
    rtl = claim_publish(claim_id=rtl.pk, user=None)
    return Desk(published=published, unpublished=unpublished, rtl=rtl)
