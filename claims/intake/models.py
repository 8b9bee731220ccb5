"""Intake rows: an article read by the desk, the claims proposed from it, twins and external fact-checks.

Imported by ``claims.models`` so they belong to the ``claims`` app; rules
about changing them live in ``claims/services/intake*.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from claims.models import Article, Claim


class ArticleIntake(models.Model):
    """One article handed to the desk by URL or pasted text, and how far reading it has got."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    url = models.URLField(max_length=2000, blank=True)
    pasted_text = models.TextField(blank=True, help_text="The text as pasted (empty for a URL intake).")
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    error = models.TextField(blank=True)
    # What was extracted (from the page, or given with the paste).
    title = models.CharField(max_length=300, blank=True)
    publisher_name = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    text = models.TextField(blank=True, help_text="The main text the proposals were read from.")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.PROTECT, related_name="intakes")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("review_proposal", "Can accept, merge or reject claim proposals")]
        constraints = [
            models.CheckConstraint(condition=~Q(url="") | ~Q(pasted_text=""), name="intake_url_or_text"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="intake_progress_percent"),
        ]

    def __str__(self) -> str:
        return self.title or self.url or f"Pasted text #{self.pk}"


class ClaimProposal(models.Model):
    """A sentence of an intake that looks like a checkable, attributed claim, and the editor's decision."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        MERGED = "merged", "Merged into an existing claim"
        REJECTED = "rejected", "Rejected"

    intake = models.ForeignKey(ArticleIntake, on_delete=models.CASCADE, related_name="proposals")
    position = models.PositiveIntegerField(help_text="Order of the sentence in the article.")
    sentence = models.TextField(help_text="The sentence as it stands in the article (the quote).")
    cue = models.CharField(max_length=100, blank=True, help_text="What made it a proposal.")
    claimant_guess = models.CharField(max_length=200, blank=True)
    figures = models.JSONField(default=list, blank=True)
    places = models.JSONField(default=list, blank=True)
    dates = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["intake_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "position"], name="proposal_intake_position_unique"),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "rejected"]) | Q(claim__isnull=False),
                name="proposal_decided_has_claim",
            ),
        ]

    def __str__(self) -> str:
        return self.sentence if len(self.sentence) <= 80 else self.sentence[:77] + "..."


class ClaimTwin(models.Model):
    """Two claims that say the same thing; stored once, lower id first."""

    class Kind(models.TextChoices):
        AUTO = "auto", "Linked automatically"
        EDITOR = "editor", "Linked by an editor"

    first = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    score = models.FloatField(default=0.0)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["first_id", "second_id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="twin_pair_unique"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="twin_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"#{self.first_id} = #{self.second_id}"


class ExternalFactCheck(models.Model):
    """A schema.org ClaimReview published by another fact-checker, imported as evidence."""

    claim_reviewed = models.TextField()
    review_url = models.URLField(max_length=2000, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    claimant = models.CharField(max_length=300, blank=True)
    rating_label = models.CharField(max_length=300, blank=True)
    rating_value = models.CharField(max_length=50, blank=True)
    best_rating = models.CharField(max_length=50, blank=True)
    worst_rating = models.CharField(max_length=50, blank=True)
    mapped_status = models.CharField(max_length=20, choices=Claim.Status.choices, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)
    # SHA-256 of the item's identifying fields: importing the same item again adds nothing.
    fingerprint = models.CharField(max_length=64, unique=True)
    raw = models.JSONField(default=dict)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(claim_reviewed=""), name="factcheck_claim_not_empty")]

    def __str__(self) -> str:
        text = self.claim_reviewed if len(self.claim_reviewed) <= 60 else self.claim_reviewed[:57] + "..."
        return f"{self.publisher or 'Fact-check'}: {text} ({self.rating_label or self.rating_value})"
