"""The alert outbox, who subscribes to what, and the log of every delivery.

Imported by ``claims.models`` so Django registers them with the claims app.
Rules about writing these rows live in ``claims/services/alerts.py``.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from claims.fetching.urls import validate_fetchable_url


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class AlertEvent(models.Model):
    """Something the desk should hear about, written in the transaction of the change itself."""

    class Kind(models.TextChoices):
        FLAGGED = "flagged", "Flagged for review"
        SOURCE_GONE = "source_gone", "Source gone"
        RECOVERED = "recovered", "Flagged source readable again"
        STATUS_CHANGED = "status_changed", "Status changed"
        PUBLISHED = "published", "Published"

    # Sent with every delivery so receivers can drop a repeat (delivery is at least once).
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="alert_events")
    source = models.ForeignKey(
        "claims.Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="alert_events"
    )
    # What the alert says, captured when it happened (the claim may change again before delivery).
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["fanned_out_at", "created_at"], name="alertevent_pending_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: claim {self.claim_id}"


class AlertSubscription(models.Model):
    """Who hears about what, and how."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email, at once"
        DIGEST = "digest", "Email, daily digest"
        WEBHOOK = "webhook", "Signed webhook"
        CHAT = "chat", "Chat (Apprise URL: Slack, Teams, Telegram, Matrix…)"

    class Scope(models.TextChoices):
        EVERYTHING = "everything", "Everything"
        ARTICLE = "article", "One article"
        CLAIMANT = "claimant", "One claimant"
        CLAIM = "claim", "One claim"
        FLAGS = "flags", "Only review flags"

    name = models.CharField(max_length=200, help_text="What this subscription is for, e.g. 'Partner X webhook'.")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_subscriptions",
        help_text="For email: the person, whose address is used.",
    )
    webhook_url = models.URLField(
        max_length=2000,
        blank=True,
        validators=[validate_fetchable_url],
        help_text="For webhooks: a public http(s) URL (private and loopback addresses are refused).",
    )
    secret = models.CharField(
        max_length=200, default=new_secret, help_text="For webhooks: the HMAC-SHA256 key the receiver verifies with."
    )
    chat_url = models.CharField(
        max_length=2000, blank=True, help_text="For chat: an Apprise URL, e.g. slack://TokenA/TokenB/TokenC/#desk."
    )
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.EVERYTHING)
    article = models.ForeignKey("claims.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    claimant = models.ForeignKey("claims.Claimant", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    claim = models.ForeignKey("claims.Claim", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    published_only = models.BooleanField(default=False, help_text="Only events about published claims (for partners).")
    quiet_from = models.TimeField(null=True, blank=True, help_text="Immediate email waits from this time (UTC)…")
    quiet_until = models.TimeField(null=True, blank=True, help_text="…until this time (UTC).")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel__in=["email", "digest"]) | Q(user__isnull=False),
                name="alertsub_email_needs_user",
                violation_error_message="An email subscription needs the person to write to.",
            ),
            models.CheckConstraint(
                condition=~Q(channel="webhook") | ~Q(webhook_url=""),
                name="alertsub_webhook_needs_url",
                violation_error_message="A webhook subscription needs its URL.",
            ),
            models.CheckConstraint(
                condition=~Q(channel="chat") | ~Q(chat_url=""),
                name="alertsub_chat_needs_url",
                violation_error_message="A chat subscription needs its Apprise URL.",
            ),
            models.CheckConstraint(
                condition=(~Q(scope="article") | Q(article__isnull=False))
                & (~Q(scope="claimant") | Q(claimant__isnull=False))
                & (~Q(scope="claim") | Q(claim__isnull=False)),
                name="alertsub_scope_needs_target",
                violation_error_message="Choose the article, claimant or claim this subscription is about.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AlertDelivery(models.Model):
    """One event to one subscription: pending until sent, retried with back-off, resendable."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up; send again from here)"

    event = models.ForeignKey(AlertEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(AlertSubscription, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "alert deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "subscription"], name="alertdelivery_once_per_subscription"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="alertdelivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription} ({self.state})"
