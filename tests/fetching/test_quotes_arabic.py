"""Arabic quotes: folded digits, diacritics and letter variants; figures and negations named."""

from __future__ import annotations

import pytest

from claims.fetching import check_quote
from claims.fetching.arabic import fold_arabic

# "The army said the opposition forces withdrew 20 km from the city on Tuesday."
PAGE = (
    "تقرير من الجبهة\n"
    "قال الجيش إن قوات المعارضة انسحبت ٢٠ كم من المدينة يوم الثلاثاء.\n"
    "وأضاف المتحدث أن خمسة مقاتلين أسروا قرب الجسر، بحسب بيان رسمي."
)
QUOTE = "قوات المعارضة انسحبت ٢٠ كم من المدينة"


def test_folding_erases_digits_marks_tatweel_and_letter_variants() -> None:
    assert fold_arabic("٢٥ و ۳۰ و ٪٥٫٥") == "25 و 30 و %5.5"
    assert fold_arabic("قَالَ الجَيْشُ") == "قال الجيش"
    assert fold_arabic("انسحـــبت") == "انسحبت"
    assert fold_arabic("أإآٱ مستشفى مدرسة") == "اااا مستشفي مدرسه"
    assert fold_arabic("The army, 20 km") == "The army, 20 km"


@pytest.mark.parametrize(
    "quote",
    [
        QUOTE,
        "قوات المعارضة انسحبت 20 كم من المدينة",  # ASCII digits
        "قوات المعارضة انسحبت ۲۰ كم من المدينة",  # Persian digits
        "قُوَّاتُ المُعَارَضَةِ انْسَحَبَتْ ٢٠ كم مِنَ المَدِينَةِ",  # with tashkeel
        "قوات المعارضـــة انسحبت ٢٠ كم من المدينـة",  # with tatweel
        "قوات المعارضه انسحبت ٢٠ كم من المدينه",  # ta marbuta written as ha
        "واضاف المتحدث ان خمسه مقاتلين اسروا قرب الجسر",  # hamza-less alef, ha for ta marbuta
    ],
)
def test_quote_in_one_form_is_found_in_another(quote: str) -> None:
    assert check_quote(quote, PAGE).state == "intact"


def test_page_rewritten_in_other_forms_keeps_the_quote_intact() -> None:
    page = PAGE.replace("٢٠", "20").replace("المدينة", "المَدِينَة").replace("أن", "ان")

    assert check_quote(QUOTE, page).state == "intact"
    assert check_quote("وأضاف المتحدث أن خمسة مقاتلين", page).state == "intact"


@pytest.mark.parametrize(
    ("old", "new", "change"),
    [
        ("٢٠", "٣٠", 'figure changed: "٢٠" became "٣٠"'),
        ("٢٠", "۲۵", 'figure changed: "٢٠" became "۲۵"'),
        ("٢٠", "10", 'figure changed: "٢٠" became "10"'),
    ],
)
def test_changed_figure_is_named_in_the_digits_written(old: str, new: str, change: str) -> None:
    result = check_quote(QUOTE, PAGE.replace(old, new))

    assert result.state == "edited"
    assert change in result.change


def test_figure_recorded_in_ascii_is_named_as_recorded() -> None:
    result = check_quote("قوات المعارضة انسحبت 20 كم من المدينة", PAGE.replace("٢٠", "٢٥"))

    assert result.state == "edited"
    assert 'figure changed: "20" became "٢٥"' in result.change


@pytest.mark.parametrize("negation", ["لم", "لا", "لن", "ليس", "غير", "ولم"])
def test_added_arabic_negation_is_named(negation: str) -> None:
    quote = "أن خمسة مقاتلين أسروا قرب الجسر"
    page = PAGE.replace("مقاتلين أسروا", f"مقاتلين {negation} أسروا")

    result = check_quote(quote, page)

    assert result.state == "edited"
    assert f'negation added: "{negation}"' in result.change


def test_removed_arabic_negation_is_named() -> None:
    result = check_quote("أن خمسة مقاتلين لم يؤسروا قرب الجسر", PAGE.replace("أسروا", "يؤسروا"))

    assert result.state == "edited"
    assert 'negation removed: "لم"' in result.change


def test_ma_inserted_alone_before_a_verb_is_a_negation() -> None:
    page = PAGE.replace("مقاتلين أسروا", "مقاتلين ما أسروا")

    result = check_quote("أن خمسة مقاتلين أسروا قرب الجسر", page)

    assert 'negation added: "ما"' in result.change


def test_ma_zala_still_is_not_a_negation() -> None:
    # "ما زال" is "still": a wording change, not a denial.
    quote = "أن خمسة مقاتلين زالوا قرب الجسر"
    page = PAGE.replace("مقاتلين أسروا", "مقاتلين ما زالوا")

    result = check_quote(quote, page)

    assert result.state == "edited"
    assert "negation" not in result.change
    assert '"ما"' in result.change


def test_la_yazal_still_is_not_a_negation() -> None:
    # "لا يزال" is "still", like "ما زال".
    quote = "أن خمسة مقاتلين أسروا قرب الجسر"
    page = PAGE.replace("مقاتلين أسروا", "مقاتلين لا يزالون أسرى")

    result = check_quote(quote, page)

    assert "negation" not in result.change
