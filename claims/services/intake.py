"""Article intake: take an article by URL or pasted text, extract it, and propose its claims.

Nothing is half-stored: the article and its proposals are written in one
transaction at the end of a successful read; a failed read leaves only the
intake row, marked failed with the reason, so the editor sees why.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import trafilatura
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from claims.fetching import FetchBlocked, FetchError, UnreadableContent, extract_main_text, fetch, normalise_text
from claims.fetching.urls import parse_target, resolve_target
from claims.intake.proposer import propose
from claims.intake.sentences import language_of
from claims.models import Article, ArticleIntake, Claimant, ClaimProposal

logger = logging.getLogger(__name__)
Progress = Callable[[int], None]


class IntakeFailed(Exception):
    """The article could not be read; the message says why, for the editor."""


@dataclass
class Extracted:
    text: str
    title: str = ""
    publisher: str = ""
    published_on: dt.date | None = None


def intake_validate(*, url: str = "", text: str = "") -> tuple[str, str]:
    """The cleaned URL and text, or ValidationError naming the field (the admin form checks with this)."""
    if url.strip() and text.strip():
        raise ValidationError({"url": "Give either a URL or pasted text, not both."})
    if url.strip():
        return _validate_url(url), ""
    return "", _validate_text(text)


def _validate_text(text: str) -> str:
    size = len(text.encode("utf-8"))
    if size > settings.INTAKE_MAX_TEXT_BYTES:
        raise ValidationError(
            {
                "text": f"The text is {size:,} bytes, over the {settings.INTAKE_MAX_TEXT_BYTES:,}-byte limit; "
                "paste one article at a time."
            }
        )
    text = text.strip()
    if not text:
        raise ValidationError({"text": "The text is empty: paste the article's text or give its URL."})
    if "\x00" in text:
        raise ValidationError({"text": "The text holds NUL characters; paste it as plain text."})
    return text


def _validate_url(url: str) -> str:
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
        # Refuse private, loopback and link-local addresses now, before anything is queued.
        resolve_target(parse_target(url))
    except ValidationError:
        raise ValidationError({"url": "Give an http:// or https:// address of a public web page."}) from None
    except FetchBlocked as exc:
        raise ValidationError({"url": f"This address may not be fetched: {exc}"}) from None
    except FetchError:
        pass  # a name that does not resolve now is reported by the read itself
    return url


@transaction.atomic
def intake_submit(
    *,
    url: str = "",
    text: str = "",
    title: str = "",
    publisher_name: str = "",
    published_on: dt.date | None = None,
    user: AbstractBaseUser | None,
    inline: bool | None = None,
    enqueue: bool = True,
) -> ArticleIntake:
    """Record an intake and read it: now for a short paste (or ``inline=True``), else in a Celery task.

    ``enqueue=False`` (with ``inline=False``) leaves the intake queued for the
    caller to run with ``intake_run`` (the command does, with a progress bar).

    Raises ValidationError (``url`` or ``text``) for input that cannot be taken.
    """
    url, text = intake_validate(url=url, text=text)
    intake = ArticleIntake.objects.create(
        url=url,
        pasted_text=text,
        title=title.strip()[:300],
        publisher_name=publisher_name.strip()[:200],
        published_on=published_on,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    if inline is None:
        inline = not url and len(text) <= settings.INTAKE_INLINE_MAX_CHARS
    if inline:
        return intake_run(intake_id=intake.pk)
    if enqueue:
        transaction.on_commit(lambda: _enqueue(intake.pk))
    return intake


def _enqueue(intake_id: int) -> None:
    from claims.tasks import intake_run as task  # the task module imports services, not the reverse

    try:
        task.apply_async(kwargs={"intake_id": intake_id}, retry=False)
    except Exception:
        logger.warning("Broker unreachable; intake %s failed to queue", intake_id, exc_info=True)
        ArticleIntake.objects.filter(pk=intake_id, state=ArticleIntake.State.QUEUED).update(
            state=ArticleIntake.State.FAILED,
            error="The task queue is unreachable; nothing was read. Submit the article again later.",
            finished_at=timezone.now(),
        )


def intake_run(*, intake_id: int, progress: Progress | None = None) -> ArticleIntake:
    """Read a queued intake: fetch or take its text, propose claims, store them. Runs once per intake."""
    started = ArticleIntake.objects.filter(pk=intake_id, state=ArticleIntake.State.QUEUED).update(
        state=ArticleIntake.State.RUNNING, progress=1
    )
    intake = ArticleIntake.objects.get(pk=intake_id)
    if not started:
        return intake  # done, failed or being read by another worker
    report = _progress_writer(intake_id, progress)
    try:
        extracted = _read_url(intake.url) if intake.url else Extracted(text=normalise_text(intake.pasted_text))
        report(10)
        publisher = intake.publisher_name or extracted.publisher
        proposals = propose(
            extracted.text, publisher=publisher, progress=lambda done, total: report(10 + 80 * done // max(total, 1))
        )
        _store(intake, extracted, publisher, proposals)
    except (IntakeFailed, FetchError, FetchBlocked, UnreadableContent) as exc:
        ArticleIntake.objects.filter(pk=intake_id).update(
            state=ArticleIntake.State.FAILED, error=str(exc), finished_at=timezone.now()
        )
    report(100)
    return ArticleIntake.objects.get(pk=intake_id)


def _progress_writer(intake_id: int, callback: Progress | None) -> Progress:
    last = [0]

    def report(percent: int) -> None:
        percent = max(0, min(100, percent))
        if callback is not None:
            callback(percent)
        if percent - last[0] >= 5 and percent < 100:  # a write per 5 %, not per paragraph
            last[0] = percent
            ArticleIntake.objects.filter(pk=intake_id, state=ArticleIntake.State.RUNNING).update(progress=percent)

    return report


def _read_url(url: str) -> Extracted:
    response = fetch(url)
    if response.status != 200:
        raise IntakeFailed(f"The page answered HTTP {response.status}; nothing was read.")
    content_type = response.headers.get("content-type", "")
    text = extract_main_text(response.body, content_type).replace("\x00", "")
    if len(text.encode("utf-8")) > settings.INTAKE_MAX_TEXT_BYTES:
        raise IntakeFailed(f"The page's text is over the {settings.INTAKE_MAX_TEXT_BYTES:,}-byte limit.")
    extracted = Extracted(text=text)
    if "html" in content_type or not content_type:
        meta = trafilatura.extract_metadata(response.body.decode("utf-8", errors="replace"), default_url=url)
        if meta is not None:
            extracted.title = (meta.title or "")[:300]
            extracted.publisher = (meta.sitename or "")[:200]
            extracted.published_on = _date(meta.date)
    return extracted


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "")[:10]) if value else None
    except ValueError:
        return None


def _oldest_or_new(model: type[Model], lookup: dict[str, Any], defaults: dict[str, Any]) -> Any:
    """The first row that matches, else a new one: several may match (the API lets people record two
    articles with one title), where get_or_create would fail with MultipleObjectsReturned."""
    return model.objects.filter(**lookup).order_by("pk").first() or model.objects.create(**lookup, **defaults)


@transaction.atomic
def _store(intake: ArticleIntake, extracted: Extracted, publisher_name: str, proposals: list) -> None:  # type: ignore[type-arg]
    title = intake.title or extracted.title or _first_words(extracted.text)
    publisher = None
    if publisher_name:
        publisher = _oldest_or_new(Claimant, {"name": publisher_name[:200]}, {"kind": Claimant.Kind.ORGANISATION})
    article = _oldest_or_new(
        Article,
        {"title": title[:300], "publisher": publisher},
        {"url": intake.url, "text": extracted.text, "published_on": intake.published_on or extracted.published_on},
    )
    ClaimProposal.objects.bulk_create(
        ClaimProposal(
            intake=intake,
            position=p.position,
            sentence=p.sentence,
            cue=p.cue[:100],
            claimant_guess=(p.claimant_guess or publisher_name)[:200],
            figures=p.figures,
            places=p.places,
            dates=p.dates,
            note=p.note,
        )
        for p in proposals
    )
    ArticleIntake.objects.filter(pk=intake.pk).update(
        state=ArticleIntake.State.DONE,
        progress=100,
        title=title[:300],
        publisher_name=publisher_name[:200],
        published_on=intake.published_on or extracted.published_on,
        language=language_of(extracted.text),
        text=extracted.text,
        article=article,
        finished_at=timezone.now(),
    )


def _first_words(text: str, limit: int = 120) -> str:
    first = text.strip().split("\n", 1)[0]
    return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"
