"""The article's 13 claims load once, obey the desk's rules, and load again as a no-op."""

from __future__ import annotations

import pytest

from claims.models import Article, Claim, Claimant, Evidence, Source, StatusChange
from claims.seed import data
from claims.services.seed import seed_load
from claims.services.status import independence_error, stored_links

pytestmark = pytest.mark.django_db

EXPECTED_STATUS = {
    "unconfirmed": 10,
    "confirmed": 2,
    "disputed": 1,
}


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Article, Claimant, Source, Claim, Evidence, StatusChange))


def test_seed_loads_thirteen_claims_with_statuses_and_import_history():
    result = seed_load()
    assert result.claims_created == 13
    assert Claim.objects.count() == 13
    for status, expected in EXPECTED_STATUS.items():
        assert Claim.objects.filter(status=status).count() == expected
    assert StatusChange.objects.filter(via="import", rationale__startswith="Imported").count() == 13
    retreat = Claim.objects.get(text__contains="20 km")
    assert retreat.claimant.name == "SANA (Syrian state news agency)"
    assert retreat.status == "unconfirmed"
    assert Article.objects.get().url == ""  # the article's URL is not known


def test_seed_quotes_are_verbatim_from_the_article():
    seed_load()
    article = Article.objects.get()
    for evidence in Evidence.objects.exclude(quote=""):
        assert evidence.quote in article.text, evidence.quote


def test_seed_confirmed_claims_have_independent_support():
    seed_load()
    for claim in Claim.objects.filter(status="confirmed"):
        assert independence_error(claim.claimant, "confirmed", stored_links(claim)) is None


def test_loading_twice_changes_nothing():
    seed_load()
    before = counts()
    result = seed_load()
    assert result.claims_created == 0
    assert counts() == before


def test_seed_keeps_its_own_copy_of_the_article():
    assert data.ARTICLE_TEXT_PATH.is_file()
    assert "shared" not in data.ARTICLE_TEXT_PATH.parts
