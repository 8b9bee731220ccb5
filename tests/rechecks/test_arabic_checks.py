"""Arabic sources re-checked against a local server: spelling edits keep a quote, figures and negations are named.

In process through the checking service (the ``recheck --sync`` path), and once through the real worker.
"""

from __future__ import annotations

import pytest

from claims.models import Evidence, Source
from claims.services.checking import source_check_now
from tests.fetching.servers import ARABIC_LEAD, ARABIC_QUOTE, PageServer, arabic_article
from tests.rechecks.stack import cite, run_check


def checked_once(pages: PageServer, path: str):  # type: ignore[no-untyped-def]
    """A claim quoting the Arabic report at ``path``, checked once (the quote intact)."""
    claim, evidence, source = cite(pages.set(path, body=arabic_article()), ARABIC_QUOTE)
    source_check_now(source_id=source.pk)
    evidence.refresh_from_db()
    assert evidence.quote_state == Evidence.QuoteState.INTACT
    return claim, evidence, source


@pytest.mark.django_db
@pytest.mark.parametrize(
    "rewrite",
    [
        pytest.param(lambda t: t.replace("٢٠", "20"), id="ascii-digits"),
        pytest.param(lambda t: t.replace("٢٠", "۲۰"), id="persian-digits"),
        pytest.param(lambda t: t.replace("قوات المعارضة", "قُوَّاتُ المُعَارَضَةِ"), id="tashkeel"),
        pytest.param(lambda t: t.replace("انسحبت", "انسحـــبت"), id="tatweel"),
        pytest.param(lambda t: t.replace("المدينة", "المدينه").replace("إن", "ان"), id="ta-marbuta-and-hamza"),
    ],
)
def test_a_spelling_edit_keeps_the_quote_intact_and_flags_nothing(pages: PageServer, rewrite) -> None:  # type: ignore[no-untyped-def]
    claim, evidence, source = checked_once(pages, "/sana")
    pages.set("/sana", body=arabic_article(rewrite(ARABIC_LEAD)))

    check = source_check_now(source_id=source.pk)

    claim.refresh_from_db()
    evidence.refresh_from_db()
    assert check.outcome == Source.Outcome.CHANGED  # the text did change: a new snapshot
    assert evidence.quote_state == Evidence.QuoteState.INTACT
    assert not claim.needs_review


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ("٢٠", "٣٠", 'figure changed: "٢٠" became "٣٠"'),
        ("٢٠", "۲۵", 'figure changed: "٢٠" became "۲۵"'),
        ("٢٠", "10", 'figure changed: "٢٠" became "10"'),
        ("انسحبت", "لم تنسحب", 'negation added: "لم"'),
        ("انسحبت ٢٠ كم", "لا تنسحب ٢٠ كم", 'negation added: "لا"'),
    ],
)
def test_a_changed_figure_or_added_negation_is_named_and_flags_the_claim(
    pages: PageServer, old: str, new: str, named: str
) -> None:
    claim, evidence, source = checked_once(pages, "/sana")
    pages.set("/sana", body=arabic_article(ARABIC_LEAD.replace(old, new)))

    source_check_now(source_id=source.pk)

    claim.refresh_from_db()
    evidence.refresh_from_db()
    assert evidence.quote_state == Evidence.QuoteState.EDITED
    assert named in evidence.quote_change
    assert claim.needs_review and named in claim.review_reason
    assert claim.status == "unverified"


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_the_worker_names_an_arabic_figure_change_in_its_digits(worker, pages: PageServer) -> None:
    # given a claim quoting an Arabic report, checked once by the worker
    claim, evidence, source = cite(pages.set("/sana-worker", body=arabic_article()), ARABIC_QUOTE)
    first = run_check(source)

    # when the report's figure changes from ٢٠ to ٣٠ and the worker checks again
    pages.set("/sana-worker", body=arabic_article(ARABIC_LEAD.replace("٢٠", "٣٠")))
    second = run_check(source)

    # then the change is named in the digits the page uses, and the claim is flagged with it
    evidence.refresh_from_db()
    claim.refresh_from_db()
    assert (first.outcome, second.outcome) == ("changed", "changed")
    assert evidence.quote_state == Evidence.QuoteState.EDITED
    assert 'figure changed: "٢٠" became "٣٠"' in evidence.quote_change
    assert claim.needs_review and "٣٠" in claim.review_reason
