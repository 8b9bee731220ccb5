"""Alerts in the admin: subscriptions, the outbox, and the delivery log with "send again"."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from claims.admin.display import short
from claims.admin.readonly import URL_FIELDS_ASSUME_HTTPS, ReadOnlyAdmin
from claims.alerts.channels import chat_url_problem
from claims.models import AlertDelivery, AlertEvent, AlertSubscription
from claims.services.alerts import alert_resend


class AlertSubscriptionForm(forms.ModelForm):
    class Meta:
        model = AlertSubscription
        fields = [
            "name",
            "channel",
            "is_active",
            "user",
            "webhook_url",
            "secret",
            "chat_url",
            "scope",
            "article",
            "claimant",
            "claim",
            "published_only",
            "quiet_from",
            "quiet_until",
        ]

    def clean_chat_url(self) -> str:
        url = (self.cleaned_data.get("chat_url") or "").strip()
        if url and (problem := chat_url_problem(url)):
            raise forms.ValidationError(f"{problem}; see https://github.com/caronc/apprise/wiki for the URL forms.")
        return url


@admin.register(AlertSubscription)
class AlertSubscriptionAdmin(admin.ModelAdmin):
    form = AlertSubscriptionForm
    list_display = ["name", "channel", "user", "scope", "published_only", "is_active"]
    list_filter = ["channel", "scope", "is_active"]
    search_fields = ["name", "user__username", "user__email", "webhook_url"]
    autocomplete_fields = ["article", "claimant", "claim", "user"]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    fieldsets = [
        (None, {"fields": ["name", "channel", "is_active"]}),
        ("Where to", {"fields": ["user", "webhook_url", "secret", "chat_url"]}),
        ("About what", {"fields": ["scope", "article", "claimant", "claim", "published_only"]}),
        ("Quiet hours (immediate email only; UTC)", {"fields": ["quiet_from", "quiet_until"]}),
    ]


@admin.register(AlertEvent)
class AlertEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "claim_short", "fanned_out_at", "key"]
    list_filter = ["kind"]
    list_select_related = ["claim"]
    readonly_fields = ["key", "kind", "claim", "source", "data", "created_at", "fanned_out_at"]

    @admin.display(description="Claim")
    def claim_short(self, event: AlertEvent) -> str:
        return short(event.claim.text, 70)


@admin.action(description="Send again", permissions=["resend"])
def send_again(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[AlertDelivery]) -> None:
    """Queue the selected deliveries again, with their original idempotency key."""
    count = 0
    for delivery_id in queryset.values_list("pk", flat=True):
        alert_resend(delivery_id=delivery_id)
        count += 1
    messages.success(request, f"Queued {count} deliver{'ies' if count != 1 else 'y'} again.")


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "event_kind",
        "claim_short",
        "subscription",
        "state",
        "attempts",
        "next_attempt_at",
        "error",
    ]
    list_filter = ["state", "subscription__channel", "event__kind"]
    list_select_related = ["event", "event__claim", "subscription"]
    readonly_fields = [
        "event",
        "subscription",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
        "created_at",
    ]
    actions = [send_again]

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("claims.change_alertdelivery")

    @admin.display(description="Event", ordering="event__kind")
    def event_kind(self, delivery: AlertDelivery) -> str:
        return delivery.event.get_kind_display()

    @admin.display(description="Claim")
    def claim_short(self, delivery: AlertDelivery) -> str:
        return short(delivery.event.claim.text, 60)

    @admin.display(description="Last error")
    def error(self, delivery: AlertDelivery) -> str:
        return short(delivery.last_error, 80)
