"""What a re-check found that a person should look at, per claim.

Each finding is reported once: when the quote's state or change differs from
what was stored, or when a counter reaches its threshold exactly, or when the
source first moves. A repeated identical check therefore flags nothing again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.conf import settings

from claims import fetching
from claims.models import READABLE_OUTCOMES, TROUBLE_OUTCOMES, Evidence, Source, SourceCheck

Outcome = Source.Outcome
# Outcomes that say the site could not be read at all; they back off and count towards "unreachable".
FAILURES = frozenset({Outcome.ERROR, Outcome.BLOCKED, Outcome.TOO_SLOW})
READABLE = READABLE_OUTCOMES
TROUBLE = TROUBLE_OUTCOMES


def _claims_of(source: Source) -> list[int]:
    return sorted(set(Evidence.objects.filter(source=source).values_list("claim_id", flat=True)))


def source_findings(
    *, source: Source, seen_outcome: str, previous_outcome: str, reason: str, http_status: int | None = None
) -> dict[int, list[str]]:
    """Findings about the whole source (gone, moved, unreachable) for every claim citing it.

    ``source`` carries the counters already updated by this check.
    """
    finding = ""
    if seen_outcome == Outcome.GONE and http_status == 410 and source.consecutive_gone == 1:
        # 410 says the site removed the page deliberately: no second answer is needed.
        finding = "the source is gone on purpose (HTTP 410 Gone)"
    elif seen_outcome == Outcome.GONE and http_status != 410 and source.consecutive_gone == settings.RECHECK_GONE_AFTER:
        finding = f"the source is gone (HTTP {http_status} on {source.consecutive_gone} checks in a row)"
    elif seen_outcome == Outcome.MOVED and previous_outcome != Outcome.MOVED:
        finding = reason.rstrip(".").replace("The page now redirects", "the source moved; it now redirects")
    elif seen_outcome == Outcome.TOO_LARGE and previous_outcome != Outcome.TOO_LARGE:
        # Flagged once: the page will not shrink, a person reads it or raises the limit.
        finding = "the source is " + reason.rstrip(".").replace("Too large", "too large", 1)
    elif source.consecutive_failures == settings.RECHECK_UNREACHABLE_AFTER and seen_outcome in FAILURES:
        finding = (
            f"the source could not be read on {source.consecutive_failures} checks in a row "
            f"(last: {reason.rstrip('.')})"
        )
    if not finding:
        return {}
    return {claim_id: [finding] for claim_id in _claims_of(source)}


def source_recovery(*, source: Source, seen_outcome: str, previous_outcome: str) -> tuple[str, int] | None:
    """What the source came back from and after how many checks in a row, when this check ends a bad run.

    Call before the current check is closed: it counts the finished checks before it.
    """
    if seen_outcome not in READABLE or previous_outcome not in TROUBLE:
        return None
    recent = (
        SourceCheck.objects.filter(source=source, state=SourceCheck.State.DONE)
        .order_by("-finished_at", "-id")
        .values_list("outcome", flat=True)[:500]
    )
    bad_run = 0
    for outcome in recent:
        if outcome not in TROUBLE:
            break
        bad_run += 1
    return previous_outcome, max(bad_run, 1)


def judge_evidence(
    *, source: Source, load_text: Callable[[], str | None], text_changed: bool, only_unchecked: bool
) -> dict[int, list[str]]:
    """Compare every quoted passage citing ``source`` with the text; store the states; return new findings.

    Evidence without a quote has nothing to compare, so a changed text is
    itself the finding for it. ``load_text`` is called only when a quote is
    to be compared: an unchanged check with every quote already judged reads
    no snapshot.
    """
    findings: dict[int, list[str]] = defaultdict(list)
    evidence_rows = Evidence.objects.filter(source=source).order_by("id")
    if only_unchecked:
        evidence_rows = evidence_rows.filter(quote_state=Evidence.QuoteState.UNCHECKED)
    text: str | None = None
    for evidence in evidence_rows:
        if not evidence.quote.strip():
            if text_changed:
                note = "the source's text changed (no quoted passage recorded to compare)"
                if note not in findings[evidence.claim_id]:
                    findings[evidence.claim_id].append(note)
            continue
        if text is None:
            text = load_text()
            if text is None:
                break
        result = fetching.check_quote(evidence.quote, text)
        if (result.state, result.change) == (evidence.quote_state, evidence.quote_change):
            continue
        Evidence.objects.filter(pk=evidence.pk).update(quote_state=result.state, quote_change=result.change)
        # A quote never found on the page before says nothing about the source
        # changing its story: it may be mistyped or paraphrased by the desk.
        first_look = evidence.quote_state == Evidence.QuoteState.UNCHECKED
        if result.state == Evidence.QuoteState.MISSING:
            findings[evidence.claim_id].append(
                "the quoted passage was not found on the page (first check of this quote: is it verbatim?)"
                if first_look
                else "the quoted passage is no longer on the page"
            )
        elif result.state == Evidence.QuoteState.EDITED:
            findings[evidence.claim_id].append(
                f"the quoted passage does not match the page ({result.change}; first check of this quote)"
                if first_look
                else f"the quoted passage was edited ({result.change})"
            )
    return {claim_id: notes for claim_id, notes in findings.items() if notes}
