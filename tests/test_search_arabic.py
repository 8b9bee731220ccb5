"""Full-text search in the text's language: Arabic claims and quotes are found, in any spelling."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from claims.models import Claim, Evidence
from claims.services.editing import claim_update
from tests.factories import ClaimFactory, EvidenceFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

# "The defence ministry said its forces retook control of the city on Tuesday."
ARABIC_CLAIM = "قالت وزارة الدفاع إن قواتها استعادت السيطرة على المدينة يوم الثلاثاء"
# "Five fighters were captured near the bridge."
ARABIC_QUOTE = "أُسِرَ خمسة مقاتلين قرب الجسر"


def found(query: str) -> set[int]:
    return set(Claim.objects.search(query).values_list("pk", flat=True))


def test_arabic_claim_text_is_found_by_a_word_in_it():
    # Substring search on SQLite, full-text on PostgreSQL: both find a word as written.
    hit = ClaimFactory(text=ARABIC_CLAIM)
    ClaimFactory(text="The opposition retreated 20 km.")

    assert found("المدينة") == {hit.pk}


pg = pytest.mark.integration  # the search document and its triggers are PostgreSQL's


@pytest.fixture
def postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.fail("needs DATABASE_URL pointing at PostgreSQL")


@pg
@pytest.mark.parametrize(
    "query",
    [
        "المدينه",  # ta marbuta written as ha
        "المَدِينَة",  # with tashkeel
        "مدينة",  # without the article: the Arabic stemmer
        "السيطـرة",  # with a tatweel
        "وزارة الدفاع",  # two words, both required
    ],
)
def test_arabic_text_is_found_in_any_spelling(postgres, query):
    hit = ClaimFactory(text=ARABIC_CLAIM)
    ClaimFactory(text="The city was retaken on Tuesday.")

    assert found(query) == {hit.pk}


@pg
def test_arabic_quote_of_an_english_claim_is_found(postgres):
    claim = ClaimFactory(text="Five fighters were captured near the bridge.")
    EvidenceFactory(claim=claim, quote=ARABIC_QUOTE)
    ClaimFactory(text="Fighters were seen near the bridge.")

    assert found("مقاتلين") == {claim.pk}
    assert found("اسر") == {claim.pk}  # the hamza dropped
    assert found("captured") == {claim.pk}  # the English text is still English


@pg
def test_english_search_still_stems_and_finds_claimant_names(postgres):
    retreat = ClaimFactory(text="The opposition retreated 20 km from the town.")
    named = ClaimFactory(claimant=OrganisationFactory(name="Syrian Observatory"), text="Shelling reported.")

    assert found("retreating") == {retreat.pk}
    assert found("observatory") == {named.pk}


@pg
def test_language_picks_the_configuration_set_or_detected(postgres):
    cases = [
        ("", ARABIC_CLAIM, "arabic"),
        ("", "The army said so.", "english"),
        ("", "SANA: " + ARABIC_CLAIM, "arabic"),  # mostly Arabic script
        ("", "The army used the word الجيش once in this long English sentence.", "english"),
        ("ar", "SANA", "arabic"),
        ("en", ARABIC_CLAIM, "english"),
        ("", "", "english"),
    ]
    with connection.cursor() as cursor:
        for language, text, config in cases:
            cursor.execute("SELECT claims_search_config(%s, %s)::text", [language, text])
            assert cursor.fetchone()[0] == config, (language, text)


@pg
def test_a_set_language_is_used_for_search(postgres):
    # Mostly Latin letters, so detected as English; set to Arabic, its Arabic words are stemmed.
    text = "Statement by the Syrian Arab News Agency: قوات المعارضة"
    arabic = ClaimFactory(text=text, language="ar")
    ClaimFactory(text=text)

    assert found("قوات") == {arabic.pk}


@pg
def test_the_document_follows_quotes_claimants_and_text(postgres):
    claim = ClaimFactory(text="Forces moved.")
    stale_copy = Claim.objects.get(pk=claim.pk)
    evidence = EvidenceFactory(claim=claim, quote=ARABIC_QUOTE)
    assert found("الجسر") == {claim.pk}

    # A save of a copy loaded before the quote was added does not bring the old document back.
    stale_copy.save()
    assert found("الجسر") == {claim.pk}

    Evidence.objects.filter(pk=evidence.pk).update(quote="قرب المطار")  # "near the airport"
    assert found("الجسر") == set()
    assert found("المطار") == {claim.pk}

    claim.claimant.name = "وكالة الأنباء"  # "the news agency"
    claim.claimant.save()
    assert found("الأنباء") == {claim.pk}

    claim.refresh_from_db()
    claim_update(claim_id=claim.pk, expected_version=claim.version, user=None, text=ARABIC_CLAIM)
    assert found("السيطرة") == {claim.pk}

    evidence.delete()
    assert found("المطار") == set()


@pg
def test_informal_ta_marbuta_and_pronoun_suffixes_still_match(postgres):
    # "His forces retook the city", the city written with ha for ta marbuta.
    hit = ClaimFactory(text="استعادت قواته المدينه")

    assert found("المدينة") == {hit.pk}
    assert found("قوات") == {hit.pk}


def test_an_unknown_language_is_refused_naming_the_field():
    claim = ClaimFactory()

    with pytest.raises(ValidationError) as refused:
        claim_update(claim_id=claim.pk, expected_version=claim.version, user=None, language="xx")

    assert "Unknown language 'xx'" in refused.value.message_dict["language"][0]
    claim.refresh_from_db()
    assert claim.language == ""


@pg
def test_bulk_writes_of_evidence_keep_every_claims_document(postgres):
    first, second = ClaimFactory(text="Forces moved."), ClaimFactory(text="Troops moved.")
    source = EvidenceFactory(claim=first).source
    Evidence.objects.bulk_create(
        [Evidence(claim=claim, source=source, role="supports", quote=ARABIC_QUOTE) for claim in (first, second)]
    )
    assert found("الجسر") == {first.pk, second.pk}

    Evidence.objects.filter(role="supports").update(quote="قرب المطار")
    assert found("الجسر") == set()
    assert found("المطار") == {first.pk, second.pk}

    Evidence.objects.filter(role="supports").update(quote_state="intact")  # not the words: no change
    Evidence.objects.filter(role="supports").delete()
    assert found("المطار") == set()
