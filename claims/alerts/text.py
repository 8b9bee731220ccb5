"""What an alert says: captured when the event happens, rendered when it is sent.

An alert says what matters, not that a page changed: for a flag, the quoted
passage as we had it and what the page says now (or since when it is gone,
with the last text we kept), the claim, its status, and a link to review it.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.text import Truncator

from claims.models import Claim, Evidence, Source, SourceCheck

EXCERPT_MAX = 400
_SENTENCE_END = re.compile(r"(?<=[.!?؟。])\s+")
_WORD = re.compile(r"\w+", re.UNICODE)


def _closest_sentence(text: str, quote: str) -> str:
    """The sentence of ``text`` sharing most words with ``quote`` (what the page says now)."""
    wanted = {w.lower() for w in _WORD.findall(quote)}
    best, best_score = "", 0
    for sentence in _SENTENCE_END.split(text):
        score = len(wanted & {w.lower() for w in _WORD.findall(sentence)})
        if score > best_score:
            best, best_score = sentence.strip(), score
    return Truncator(best).chars(EXCERPT_MAX)


def _gone_since(source: Source) -> str | None:
    """When the current run of "gone" answers started."""
    last_good = (
        source.checks.filter(state=SourceCheck.State.DONE)
        .exclude(outcome=Source.Outcome.GONE)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    gone = source.checks.filter(outcome=Source.Outcome.GONE)
    if last_good is not None:
        gone = gone.filter(finished_at__gt=last_good)
    first = gone.order_by("finished_at").values_list("finished_at", flat=True).first()
    return first.isoformat() if first else None


def _source_data(claim: Claim, source: Source) -> dict[str, Any]:
    latest = source.snapshots.order_by("-taken_at", "-id").first()
    text = latest.content if latest else ""
    quotes = []
    for link in Evidence.objects.filter(claim=claim, source=source).order_by("id"):
        if link.quote:
            quotes.append(
                {
                    "before": link.quote,
                    "state": link.quote_state,
                    "change": link.quote_change,
                    "now": _closest_sentence(text, link.quote) if text else "",
                }
            )
    data: dict[str, Any] = {"name": source.name, "url": source.url, "outcome": source.last_outcome, "quotes": quotes}
    if source.last_outcome == Source.Outcome.GONE:
        data["gone_since"] = _gone_since(source)
        data["last_text"] = Truncator(text).chars(EXCERPT_MAX) if text else ""
        data["last_text_at"] = latest.taken_at.isoformat() if latest else None
    return data


def capture(claim: Claim, source: Source | None, extra: dict[str, Any]) -> dict[str, Any]:
    """Everything the alert will say, as it is now (the claim may change again before delivery)."""
    data: dict[str, Any] = {
        "claim": {
            "id": claim.pk,
            "text": claim.text,
            "status": claim.status,
            "claimant": claim.claimant.name,
            "article": claim.article.title if claim.article else None,
            "is_published": claim.is_published,
            "review_url": settings.DESK_BASE_URL + reverse("admin:claims_claim_change", args=[claim.pk]),
        },
        **extra,
    }
    if source is not None:
        data["source"] = _source_data(claim, source)
    return data


def subject(kind_label: str, data: dict[str, Any]) -> str:
    return f"[{settings.CLAIMREVIEW_PUBLISHER_NAME}] {kind_label}: {Truncator(data['claim']['text']).chars(70)}"


def _source_lines(source: dict[str, Any]) -> list[str]:
    lines = [f"Source: {source['name']}" + (f" <{source['url']}>" if source.get("url") else "")]
    if source.get("gone_since"):
        lines.append(f"Gone since {source['gone_since']}.")
    if source.get("last_text"):
        lines.append(f"Last text we kept ({source.get('last_text_at')}): “{source['last_text']}”")
    for quote in source.get("quotes", []):
        lines.append(f"Quoted before: “{quote['before']}”")
        if quote.get("change"):
            lines.append(f"What changed: {quote['change']}")
        if quote.get("now") and source.get("outcome") != "gone":
            lines.append(f"The page now says: “{quote['now']}”")
    return lines


def body(kind_label: str, data: dict[str, Any]) -> str:
    """The plain-text alert, for email and chat."""
    claim = data["claim"]
    lines = [f"{kind_label}.", "", f"Claim: “{claim['text']}”", f"Claimant: {claim['claimant']}"]
    lines.append(f"Status: {Claim.Status(claim['status']).label}" + (" (published)" if claim["is_published"] else ""))
    if data.get("reason"):
        lines.append(f"Why: {data['reason']}")
    if data.get("from_status"):
        lines.append(f"Changed from {data['from_status']} to {data['to_status']}: {data.get('rationale', '')}")
    if data.get("source"):
        lines += ["", *_source_lines(data["source"])]
    lines += ["", f"Review it: {claim['review_url']}"]
    return "\n".join(lines)
