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
