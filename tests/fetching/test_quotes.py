"""Quote comparison: intact, edited (saying what changed), missing."""

from __future__ import annotations

import pytest

from claims.fetching import check_quote

PAGE = (
    "Front line report\n"
    "The opposition retreated 20km from the town overnight, a military spokesman said.\n"
    "Officials said five fighters were captured near the bridge on Tuesday, according to a statement."
)


@pytest.mark.parametrize(
    "quote",
    [
        "The opposition retreated 20km from the town overnight",
        "the  OPPOSITION retreated 20km\nfrom the town overnight",
        "\u201cOfficials said five fighters were captured near the bridge on Tuesday\u201d",
    ],
)
def test_intact_after_normalising_case_space_and_quotes(quote: str) -> None:
    assert check_quote(quote, PAGE).state == "intact"


@pytest.mark.parametrize(
    ("page", "change"),
    [
        (PAGE.replace("20km", "10km"), 'figure changed: "20km" became "10km"'),
        (PAGE.replace("were captured", "were not captured"), 'negation added: "not"'),
        (PAGE.replace("on Tuesday", "on Wednesday"), 'date changed: "Tuesday" became "Wednesday"'),
        (PAGE.replace("five", "twelve"), 'figure changed: "five" became "twelve"'),
        (PAGE.replace("the bridge", "Aleppo"), 'name changed: "the bridge" became "Aleppo"'),
    ],
)
def test_edits_say_what_changed(page: str, change: str) -> None:
    quote = (
        "The opposition retreated 20km from the town overnight"
        if "km" in change
        else "Officials said five fighters were captured near the bridge on Tuesday"
    )

    result = check_quote(quote, page)

    assert result.state == "edited"
    assert change in result.change


def test_negation_removed_is_reported() -> None:
    result = check_quote("five fighters were not captured near the bridge", PAGE)

    assert result.state == "edited"
    assert 'negation removed: "not"' in result.change


def test_passage_gone_is_missing() -> None:
    page = "Front line report\nResidents described a quiet night; aid convoys arrived on time."

    assert check_quote("The opposition retreated 20km from the town overnight", page).state == "missing"


def test_edit_is_found_in_a_long_page_among_similar_wording() -> None:
    # given a long page full of the quote's common words, and the edited passage in the middle
    filler = " ".join(["the forces said the town and the bridge were quiet on the night."] * 800)
    quote = "The opposition retreated 20km from the town overnight, a military spokesman said."
    page = f"{filler}\n{quote.replace('retreated 20km', 'did not retreat 10km')}\n{filler}"

    # when
    result = check_quote(quote, page)

    # then
    assert result.state == "edited"
    assert 'negation added: "not"' in result.change
    assert 'figure changed: "retreated 20km" became "did retreat 10km"' in result.change


def test_a_quote_matches_whole_words_only():
    # "able to hold" inside "unable to hold" is a different statement, not the quote intact.
    result = check_quote("able to hold the bridge", "The brigade was unable to hold the bridge on Monday.")
    assert result.state == "edited"
    assert check_quote("able to hold the bridge", "They were able to hold the bridge.").state == "intact"


def test_a_negation_put_just_before_the_passage_is_named():
    result = check_quote(
        "سيطروا على ثلاثة مستودعات للذخيرة", "قال المرصد إن المقاتلين لم يسيطروا على ثلاثة مستودعات للذخيرة."
    )
    assert result.state == "edited"
    assert 'negation added just before the passage: "لم"' in result.change
