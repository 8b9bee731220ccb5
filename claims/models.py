"""The claim domain: who asserts what, where it was reported, and its status.

Rules about *changing* these rows live in ``claims/services/``; this module
holds data, structural constraints and small read helpers only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from claims.fetching.urls import validate_fetchable_url
from claims.querysets import ClaimQuerySet, SourceQuerySet

CLAIM_TEXT_MAX = 1000
QUOTE_MAX = 4000


class FetchableURLFormField(forms.URLField):
    # The model field's validator says why a URL is refused; Django's bare
    # "Enter a valid URL." would only repeat it without the reason.
    default_validators: list = []


class FetchableURLField(models.URLField):
    """A URL the re-check fetcher can read, judged by its own rules (``validate_fetchable_url``).

    Only a value being set is validated (forms and services validate changed
    fields), so a row stored before the rule can still be edited otherwise.
    """

    default_validators = [validate_fetchable_url]

    def formfield(self, **kwargs: Any) -> forms.Field:
        return super().formfield(**{"form_class": FetchableURLFormField, "assume_scheme": "https", **kwargs})


class Language(models.TextChoices):
    """The language a text is searched in; empty means detected (Arabic script, else English)."""

    DETECT = "", "Detect from the text"
    ARABIC = "ar", "Arabic"
    ENGLISH = "en", "English"


LANGUAGE_HELP = "For full-text search; left empty, Arabic script makes it Arabic, anything else English."


class Claimant(models.Model):
    """A person or organisation that asserts claims or publishes sources."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ORGANISATION)
    # A person speaks for an organisation; an organisation may belong to a
    # larger one (a state news agency to its government). Independence is
    # judged across this chain.
    organisation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"kind": "organisation"},
        help_text="The organisation this person speaks for, or the larger body an organisation belongs to.",
    )
    description = models.TextField(blank=True)
    same_as = models.URLField(
        max_length=500,
        blank=True,
        help_text="A page that identifies this claimant (Wikidata, Wikipedia, an official site); "
        "published as sameAs in ClaimReview.",
    )
    is_archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["person", "organisation"]), name="claimant_kind_valid"),
            models.CheckConstraint(condition=~Q(organisation=models.F("id")), name="claimant_not_own_organisation"),
        ]

    def __str__(self) -> str:
        return self.name

    def affiliation_ids(self, max_depth: int = 10) -> set[int]:
        """This claimant and every organisation above it (bounded, cycle-safe)."""
        ids: set[int] = {self.pk}
        current = self
        for _ in range(max_depth):
            parent_id = current.organisation_id
            if parent_id is None or parent_id in ids:
                break
            ids.add(parent_id)
            current = Claimant.objects.only("id", "organisation_id").get(pk=parent_id)
        return ids


class Article(models.Model):
    """A news report that claims were taken from."""

    title = models.CharField(max_length=300)
    publisher = models.ForeignKey(Claimant, null=True, blank=True, on_delete=models.PROTECT, related_name="articles")
    url = models.URLField(max_length=2000, blank=True, help_text="Leave blank when not known.")
    published_on = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True)
    is_archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["title", "publisher"], name="article_title_publisher_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Source(models.Model):
    """Where a claim was reported or where evidence sits: a URL or a named non-web origin."""

    class Kind(models.TextChoices):
        WEB = "web", "Web page"
        REPORT = "report", "News report (no URL recorded)"
        STATEMENT = "statement", "Statement"
        TELEGRAM = "telegram", "Telegram channel post"
        SOCIAL = "social", "Social media post"
        BROADCAST = "broadcast", "Broadcast"
        OTHER = "other", "Other"

    class Outcome(models.TextChoices):
        UNCHANGED = "unchanged", "Unchanged"
        CHANGED = "changed", "Changed"
        NOT_MODIFIED = "not_modified", "Not modified (304)"
        GONE = "gone", "Gone (404/410)"
        MOVED = "moved", "Moved to another site"
        BLOCKED = "blocked", "Blocked (unsafe address)"
        UNVERIFIABLE = "unverifiable", "Unverifiable (bot or login wall)"
        TOO_LARGE = "too_large", "Too large to check"
        TOO_SLOW = "too_slow", "Too slow (past the time limit)"
        ERROR = "error", "Error"

    name = models.CharField(max_length=300, help_text="A readable name, e.g. 'SANA report, 4 Dec 2024'.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WEB)
    # Only what the fetcher may fetch: anything else would be blocked on every check.
    url = FetchableURLField(max_length=2000, blank=True)
    publisher = models.ForeignKey(
        Claimant,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published_sources",
        limit_choices_to={"kind": "organisation"},
        help_text="The organisation behind this source; independence is judged from it.",
    )
    notes = models.TextField(blank=True)
    is_archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # Re-check scheduling: the database, not the broker, says what is due.
    is_monitored = models.BooleanField(default=True)
    check_interval = models.DurationField(null=True, blank=True, help_text="Empty: the site-wide default.")
    next_check_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=64, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    consecutive_gone = models.PositiveIntegerField(default=0)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the raw body.")
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    # The latest finished check, kept by the service that finishes checks, so reads need no subquery.
    last_check = models.ForeignKey(
        "SourceCheck", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="source_url_unique_when_set",
                violation_error_message="Another source already has this URL; link that source instead.",
                violation_error_code="unique",  # reported on the url field, not the form as a whole
            ),
            models.CheckConstraint(
                condition=~Q(kind="web") | ~Q(url=""),
                name="source_web_needs_url",
                violation_error_message="A web page source needs its URL.",
            ),
        ]
        indexes = [models.Index(fields=["is_monitored", "next_check_at"], name="source_due_idx")]

    def __str__(self) -> str:
        return self.name


# Outcomes after which a page's text is known (fresh, or the latest snapshot's).
READABLE_OUTCOMES = frozenset({Source.Outcome.CHANGED, Source.Outcome.UNCHANGED, Source.Outcome.NOT_MODIFIED})
# Outcomes a source can come back from: a readable check right after one is a recovery.
TROUBLE_OUTCOMES = frozenset(
    {
        Source.Outcome.ERROR,
        Source.Outcome.BLOCKED,
        Source.Outcome.TOO_SLOW,
        Source.Outcome.GONE,
        Source.Outcome.MOVED,
        Source.Outcome.TOO_LARGE,
    }
)


class Claim(models.Model):
    """One checkable statement, its claimant, and where it stands."""

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", "Unverified"
        UNCONFIRMED = "unconfirmed", "Unconfirmed"
        CONFIRMED = "confirmed", "Confirmed"
        DISPUTED = "disputed", "Disputed"
        FALSE = "false", "False"

    text = models.TextField(max_length=CLAIM_TEXT_MAX)
    language = models.CharField(
        max_length=8, choices=Language.choices, blank=True, default="", db_default="", help_text=LANGUAGE_HELP
    )
    claimant = models.ForeignKey(Claimant, on_delete=models.PROTECT, related_name="claims")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNVERIFIED)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # Bumped by every write; a write that names an older version is refused.
    version = models.PositiveIntegerField(default=1)
    needs_review = models.BooleanField(default=False)
    review_reason = models.TextField(blank=True)
    review_flagged_at = models.DateTimeField(null=True, blank=True)
    review_check = models.ForeignKey("SourceCheck", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_archived = models.BooleanField(default=False)
    # The latest finished check of any of the claim's sources: a summary the check and
    # evidence services keep current, so a page of claims reads it with a join, not a subquery per row.
    last_check = models.ForeignKey(
        "SourceCheck", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # Readers see a claim only while it is published (and not archived); the
    # first publication time stays when it is unpublished and published again.
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sources = models.ManyToManyField(Source, through="Evidence", related_name="claims")
    # Text, claimant name and quotes, each in its language's search configuration. PostgreSQL
    # triggers keep it current (migration 0015, docs/api.md); always NULL on SQLite.
    search_document = SearchVectorField(null=True, editable=False)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        permissions = [
            ("change_claim_status", "Can change the status of a claim"),
            ("recheck_claim", "Can start a re-check of a claim's sources"),
            ("publish_claim", "Can publish a claim to readers, or withdraw it"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["unverified", "unconfirmed", "confirmed", "disputed", "false"]),
                name="claim_status_valid",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="claim_version_positive"),
            models.CheckConstraint(condition=~Q(text=""), name="claim_text_not_empty"),
        ]
        indexes = [
            models.Index(fields=["status", "-updated_at"], name="claim_status_updated_idx"),
            models.Index(fields=["-updated_at", "-id"], name="claim_updated_idx"),
            models.Index(fields=["needs_review", "-review_flagged_at"], name="claim_review_idx"),
            # One per list ordering and per selective filter under the default ordering, so
            # every page is an index range scan that stops after the page (bench/, docs/benchmarks.md).
            models.Index(fields=["-created_at", "-id"], name="claim_created_idx"),
            models.Index(fields=["status", "id"], name="claim_status_id_idx"),
            models.Index(fields=["claimant", "-updated_at", "-id"], name="claim_claimant_updated_idx"),
            models.Index(fields=["needs_review", "-updated_at", "-id"], name="claim_review_updated_idx"),
            models.Index(fields=["is_published", "article"], name="claim_published_idx"),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:77] + "..."


class Evidence(models.Model):
    """The link between a claim and a source, saying what the source does for it."""

    class Role(models.TextChoices):
        MADE = "made", "Where the claim was made"
        SUPPORTS = "supports", "Supports"
        REFUTES = "refutes", "Refutes"

    class QuoteState(models.TextChoices):
        UNCHECKED = "unchecked", "Not checked yet"
        INTACT = "intact", "Intact"
        EDITED = "edited", "Edited"
        MISSING = "missing", "Missing"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    role = models.CharField(max_length=20, choices=Role.choices)
    quote = models.TextField(max_length=QUOTE_MAX, blank=True, help_text="The passage of the source, verbatim.")
    language = models.CharField(
        max_length=8, choices=Language.choices, blank=True, default="", db_default="", help_text=LANGUAGE_HELP
    )
    note = models.TextField(blank=True)
    quote_state = models.CharField(max_length=20, choices=QuoteState.choices, default=QuoteState.UNCHECKED)
    quote_change = models.TextField(blank=True, help_text="What a re-check found changed in the quote.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["claim_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "source", "role"], name="evidence_claim_source_role_unique"),
            models.CheckConstraint(condition=Q(role__in=["made", "supports", "refutes"]), name="evidence_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.get_role_display().lower()})"


class StatusChange(models.Model):
    """Append-only history: who moved a claim from what to what, when and why."""

    class Via(models.TextChoices):
        ADMIN = "admin", "Admin"
        BULK = "bulk", "Admin bulk action"
        API = "api", "API"
        IMPORT = "import", "Import"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="history")
    from_status = models.CharField(max_length=20, choices=Claim.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Claim.Status.choices)
    # Readers see the rationale of a published claim; internal notes never leave the desk.
    rationale = models.TextField("public rationale")
    internal_notes = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    via = models.CharField(max_length=20, choices=Via.choices)
    version = models.PositiveIntegerField(help_text="The claim's version after this change.")

    class Meta:
        ordering = ["-changed_at", "-id"]
        get_latest_by = "changed_at"
        constraints = [
            models.CheckConstraint(condition=~Q(rationale=""), name="status_change_needs_rationale"),
            models.UniqueConstraint(fields=["claim", "version"], name="status_change_claim_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        # History is written once; correcting it means a new entry.
        if self.pk is not None and not self._state.adding:
            raise ValueError("Status history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("Status history is append-only")


class SourceSnapshot(models.Model):
    """The main text of a source at one moment; kept only when it differs from the previous one."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField(default=timezone.now)
    text_hash = models.CharField(max_length=64, help_text="SHA-256 of the normalised main text.")
    text = models.TextField(blank=True)
    compressed_text = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0)
    final_url = models.URLField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-taken_at", "-id"]
        get_latest_by = "taken_at"
        indexes = [models.Index(fields=["source", "-taken_at"], name="snapshot_source_idx")]

    def __str__(self) -> str:
        return f"{self.source} at {self.taken_at:%Y-%m-%d %H:%M}"

    @property
    def content(self) -> str:
        if self.compressed_text:
            import zlib

            return zlib.decompress(bytes(self.compressed_text)).decode("utf-8")
        return self.text


class SourceCheck(models.Model):
    """One re-check of one source: requested, running, or done with an outcome."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Schedule"
        ADMIN = "admin", "Admin"
        API = "api", "API"
        COMMAND = "command", "Command"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="checks")
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    trigger = models.CharField(max_length=20, choices=Trigger.choices, default=Trigger.SCHEDULE)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Source.Outcome.choices, blank=True)
    reason = models.TextField(blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    snapshot = models.ForeignKey(
        SourceSnapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="checks"
    )
    # Set when this readable check ended a run of failed ones (gone, moved, unreadable, too slow, ...):
    # what the source came back from and after how many checks. Flags stay until a person clears them.
    recovered_from = models.CharField(max_length=20, choices=Source.Outcome.choices, blank=True)
    recovered_after = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        get_latest_by = "requested_at"
        constraints = [
            # At most one check waiting or running per source: a second request joins it.
            models.UniqueConstraint(
                fields=["source"], condition=Q(state__in=["queued", "running"]), name="sourcecheck_one_open_per_source"
            ),
        ]
        indexes = [models.Index(fields=["source", "-requested_at"], name="sourcecheck_source_idx")]

    def __str__(self) -> str:
        return f"Check of {self.source} ({self.outcome or self.state})"


# The intake models live in their own module to keep this one short; imported
# here so Django registers them with the claims app.
from claims.alerts.models import AlertDelivery, AlertEvent, AlertSubscription  # noqa: E402
from claims.intake.models import ArticleIntake, ClaimProposal, ClaimTwin, ExternalFactCheck  # noqa: E402

__all__ = [
    "CLAIM_TEXT_MAX",
    "QUOTE_MAX",
    "AlertDelivery",
    "AlertEvent",
    "AlertSubscription",
    "Article",
    "ArticleIntake",
    "Claim",
    "ClaimProposal",
    "ClaimTwin",
    "Claimant",
    "Evidence",
    "ExternalFactCheck",
    "Source",
    "SourceCheck",
    "SourceSnapshot",
    "StatusChange",
]
