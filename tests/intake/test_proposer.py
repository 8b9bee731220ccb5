"""The rule-based proposer on the seed article and on small English and Arabic texts (no database)."""

from __future__ import annotations

from pathlib import Path

from claims.intake.benchmark import expected_claims, score_files
from claims.intake.proposer import propose
from claims.intake.sentences import language_of, split_sentences

SEED = Path(__file__).resolve().parents[2] / "claims" / "seed"
SAMPLES = Path(__file__).resolve().parents[2] / "claims" / "intake" / "samples"


def test_seed_article_meets_the_target():
    score = score_files(SEED / "article.txt", SAMPLES / "seed.claims.md", publisher="Al Jazeera")
    assert score.expected == 13
    assert len(score.found) >= 11
    # At most one proposal in three would be rejected.
    assert score.useful * 3 >= score.proposals * 2


def test_claimants_are_guessed_from_the_attribution():
    by_start = {p.sentence[:30]: p.claimant_guess for p in propose((SEED / "article.txt").read_text("utf-8"))}
    assert by_start["Syrian state media SANA on Wed"] == "Syrian state media SANA"
    assert by_start["A Syrian photographer working "] == "dpa"
    assert by_start["Tens of thousands have been di"] == "Geir Pedersen"


def test_unconfirmed_note_joins_the_claim_before_it_and_quotes_continue():
    text = (
        "The ministry said its forces captured 40 fighters near Kobani. The claims could not be independently "
        "confirmed.\n“We captured the bridge at Qarqozak,” a commander said. “Next we will move on Manbij.”"
    )
    proposals = propose(text)
    assert proposals[0].note.startswith("The claims could not")
    assert proposals[0].figures == ["40"]
    assert proposals[0].places == ["Kobani"]
    assert proposals[1].sentence.endswith("“Next we will move on Manbij.”")
    assert proposals[1].claimant_guess == "Commander"


def test_opinions_and_conditions_are_not_proposed():
    text = "“I am very worried,” she said. “If the army comes, we will leave Hama,” he said."
    assert propose(text) == []


def test_arabic_sentences_and_attributions():
    text = "قال المرصد السوري إن 20 مدنيا قتلوا في قصف على إدلب. وبحسب وكالة سانا، انسحبت القوات من حماة؟ الطقس جميل."
    assert language_of(text) == "ar"
    assert len(split_sentences(text)) == 3
    proposals = propose(text)
    assert [p.claimant_guess for p in proposals] == ["المرصد السوري", "وكالة سانا"]
    assert proposals[0].figures == ["20"]
    assert "إدلب" in proposals[0].places


def test_samples_have_their_expected_claims_written_down():
    for name in ("homs-en", "homs-ar"):
        assert len(expected_claims((SAMPLES / f"{name}.claims.md").read_text("utf-8"))) >= 9


def test_arabic_speaker_ends_before_time_place_and_bianna():
    text = "قال الجيش السوري يوم السبت إن طائراته قصفت مواقع في ريف حماة. وأفاد المرصد بأن 20 شخصا قتلوا في إدلب."
    assert [p.claimant_guess for p in propose(text)] == ["الجيش السوري", "المرصد"]
