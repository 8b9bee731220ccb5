"""Reading schema.org ClaimReview items from JSON or JSON-LD (plain, lists, @graph, DataFeed wrappers)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from claims.intake.similarity import words

MAX_ITEMS = 10_000


class ClaimReviewError(ValueError):
    """The input cannot be imported; the message names the item and the field."""


@dataclass
class ReviewItem:
    claim_reviewed: str
    review_url: str
    publisher: str
    claimant: str
    rating_label: str
    rating_value: str
    best_rating: str
    worst_rating: str
    published_on: str
    language: str
    raw: dict[str, Any]

    @property
    def fingerprint(self) -> str:
        key = [self.review_url, " ".join(words(self.claim_reviewed)), self.publisher, self.rating_label]
        return hashlib.sha256(json.dumps([*key, self.rating_value], ensure_ascii=False).encode()).hexdigest()


def _is_review(node: dict[str, Any]) -> bool:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1].rsplit(":", 1)[-1] == "ClaimReview" for k in kinds)


def _find(node: Any, found: list[dict[str, Any]], depth: int = 0) -> None:
    """Every ClaimReview object, wherever a wrapper put it (@graph, DataFeed items, plain lists)."""
    if depth > 8 or len(found) > MAX_ITEMS:
        return
    if isinstance(node, list):
        for child in node:
            _find(child, found, depth + 1)
    elif isinstance(node, dict):
        if _is_review(node):
            found.append(node)
            return
        for key in ("@graph", "dataFeedElement", "item", "itemListElement", "claimReview", "mainEntity"):
            if key in node:
                _find(node[key], found, depth + 1)


def _text(value: Any) -> str:
    """A string from a string, a number, or an object with a name (e.g. ``{"@type": "Organization", "name": ...}``)."""
    if isinstance(value, list):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("alternateName") or value.get("@value") or "")
    if isinstance(value, bool) or value is None:
        return ""
    return str(value).strip()


def parse(data: bytes | str) -> list[ReviewItem]:
    """The ClaimReview items of a JSON or JSON-LD document; raises ClaimReviewError for bad input."""
    try:
        document = json.loads(data)
    except UnicodeDecodeError:
        raise ClaimReviewError("The file is not UTF-8 text.") from None
    except json.JSONDecodeError as exc:
        raise ClaimReviewError(f"The file is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).") from None
    try:
        # The database stores text and JSON: no NUL characters, no NaN or Infinity.
        canonical = json.dumps(document, allow_nan=False)
    except ValueError:
        raise ClaimReviewError("The file holds NaN or Infinity, which JSON does not allow.") from None
    if "\\u0000" in canonical:
        raise ClaimReviewError("The file holds NUL characters (\\u0000), which cannot be stored.")
    nodes: list[dict[str, Any]] = []
    _find(document, nodes)
    if not nodes:
        raise ClaimReviewError('No ClaimReview item found (an object with "@type": "ClaimReview").')
    if len(nodes) > MAX_ITEMS:
        raise ClaimReviewError(f"More than {MAX_ITEMS:,} items; split the file.")
    return [_item(node, index) for index, node in enumerate(nodes, start=1)]


def _item(node: dict[str, Any], index: int) -> ReviewItem:
    claim = _text(node.get("claimReviewed"))
    if not claim:
        where = f" ({node['url']})" if isinstance(node.get("url"), str) else ""
        raise ClaimReviewError(f"Item {index}{where}: claimReviewed is missing or empty; nothing was imported.")
    rating = node.get("reviewRating") or {}
    if isinstance(rating, list):
        rating = rating[0] if rating else {}
    if not isinstance(rating, dict):
        rating = {"alternateName": rating}
    reviewed = node.get("itemReviewed") if isinstance(node.get("itemReviewed"), dict) else {}
    return ReviewItem(
        claim_reviewed=claim,
        review_url=_text(node.get("url"))[:2000],
        publisher=_text(node.get("author") or node.get("publisher"))[:300],
        claimant=_text(reviewed.get("author"))[:300],
        rating_label=_text(rating.get("alternateName") or rating.get("name"))[:300],
        rating_value=_text(rating.get("ratingValue"))[:50],
        best_rating=_text(rating.get("bestRating"))[:50],
        worst_rating=_text(rating.get("worstRating"))[:50],
        published_on=_text(node.get("datePublished"))[:10],
        language=_text(node.get("inLanguage"))[:16],
        raw=node,
    )


def map_rating(item: ReviewItem, labels: dict[str, str], *, false_below: float, true_from: float) -> str:
    """Our status for the item's rating: its label through ``labels``, else its number on its scale; "" if neither."""
    label = " ".join(item.rating_label.lower().split())
    if label in labels:
        return labels[label]
    try:
        value, best = float(item.rating_value), float(item.best_rating or 5)
        worst = float(item.worst_rating or 1)
    except ValueError:
        return ""
    if best == worst:
        return ""
    share = (value - worst) / (best - worst)
    if share < false_below:
        return "false"
    return "confirmed" if share >= true_from else "disputed"
