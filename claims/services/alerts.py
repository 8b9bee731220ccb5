"""Alerts: record events in the transaction of the change, fan them out, deliver them at least once.

``alert_record`` is called by the services that change things (status,
publishing, review flags, re-checks) inside their transaction, so an event
exists exactly when its change committed. After commit the event is
published to Celery by task name (services never import tasks); if the
broker is down, ``alerts_sweep`` (every ALERT_SWEEP_SECONDS) finds it. Every
delivery carries the event's idempotency key: a receiver that sees a key
twice drops the repeat.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims.alerts import channels, text
from claims.alerts.models import AlertDelivery, AlertEvent, AlertSubscription
from claims.models import Claim, Source

logger = logging.getLogger(__name__)
Kind, Channel, Scope = AlertEvent.Kind, AlertSubscription.Channel, AlertSubscription.Scope
FLAG_KINDS = {Kind.FLAGGED, Kind.SOURCE_GONE, Kind.RECOVERED}
FAN_OUT_TASK, DELIVER_TASK = "claims.tasks.fan_out_alert", "claims.tasks.deliver_alert"


def _publish(task: str, arg: int) -> None:
    try:
        current_app.send_task(task, args=[arg], retry=False)
    except Exception:
        # Nothing is lost: the row waits in the database for the next sweep.
        logger.warning("Broker unreachable; %s(%s) left for the alert sweep", task, arg, exc_info=True)


def alert_record(*, kind: str, claim_id: int, source_id: int | None = None, **extra: Any) -> AlertEvent:
    """Write one event in the caller's transaction; fan it out after commit."""
    claim = Claim.objects.select_related("claimant", "article").get(pk=claim_id)
    source = Source.objects.get(pk=source_id) if source_id is not None else None
    event = AlertEvent.objects.create(kind=kind, claim=claim, source=source, data=text.capture(claim, source, extra))
    transaction.on_commit(lambda: _publish(FAN_OUT_TASK, event.pk))
    return event


def _subscribers(event: AlertEvent) -> list[AlertSubscription]:
    claim = event.claim
    scope = (
        Q(scope=Scope.EVERYTHING)
        | Q(scope=Scope.ARTICLE, article_id=claim.article_id)
        | Q(scope=Scope.CLAIMANT, claimant_id=claim.claimant_id)
        | Q(scope=Scope.CLAIM, claim_id=claim.pk)
    )
    if event.kind in FLAG_KINDS:
        scope |= Q(scope=Scope.FLAGS)
    subs = AlertSubscription.objects.filter(scope, is_active=True)
    if not claim.is_published:
        subs = subs.filter(published_only=False)
    return list(subs.order_by("pk"))


def first_attempt(subscription: AlertSubscription, now: datetime) -> datetime:
    """Now, or the end of the subscriber's quiet hours (UTC) for immediate email."""
    start, end = subscription.quiet_from, subscription.quiet_until
    if subscription.channel != Channel.EMAIL or start is None or end is None or start == end:
        return now
    clock = now.time()
    quiet = start <= clock < end if start < end else (clock >= start or clock < end)
    if not quiet:
        return now
    wake = now.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return wake if wake > now else wake + timedelta(days=1)


def alert_fan_out(*, event_id: int) -> list[int]:
    """One delivery per matching subscription (idempotent); publish those due now. Returns their ids."""
    event = AlertEvent.objects.select_related("claim").filter(pk=event_id).first()
    if event is None:
        return []
    now = timezone.now()
    due: list[int] = []
    for subscription in _subscribers(event):
        delivery, created = AlertDelivery.objects.get_or_create(
            event=event, subscription=subscription, defaults={"next_attempt_at": first_attempt(subscription, now)}
        )
        if created and subscription.channel != Channel.DIGEST and delivery.next_attempt_at <= now:
            due.append(delivery.pk)
    AlertEvent.objects.filter(pk=event.pk, fanned_out_at__isnull=True).update(fanned_out_at=now)
    for delivery_id in due:
        _publish(DELIVER_TASK, delivery_id)
    return due


def webhook_payload(delivery: AlertDelivery) -> bytes:
    event = delivery.event
    return json.dumps(
        {
            "id": str(event.key),
            "kind": event.kind,
            "created_at": event.created_at.isoformat(),
            **event.data,
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode()


def _send(delivery: AlertDelivery) -> None:
    event, subscription = delivery.event, delivery.subscription
    label = event.get_kind_display()
    if subscription.channel == Channel.WEBHOOK:
        channels.send_webhook(
            url=subscription.webhook_url,
            secret=subscription.secret,
            body=webhook_payload(delivery),
            key=str(event.key),
            kind=event.kind,
        )
    elif subscription.channel == Channel.EMAIL:
        assert subscription.user is not None  # a database constraint
        channels.send_email(
            to=subscription.user.email, subject=text.subject(label, event.data), body=text.body(label, event.data)
        )
    elif subscription.channel == Channel.CHAT:
        channels.send_chat(
            url=subscription.chat_url, title=text.subject(label, event.data), body=text.body(label, event.data)
        )


def backoff(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: doubling from ALERT_RETRY_BASE_SECONDS, capped."""
    seconds = settings.ALERT_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.ALERT_RETRY_MAX_SECONDS))


def _failed(delivery: AlertDelivery, reason: str, now: datetime) -> None:
    delivery.attempts += 1
    delivery.last_error = reason[:2000]
    if delivery.attempts >= settings.ALERT_MAX_ATTEMPTS:
        delivery.state = AlertDelivery.State.FAILED
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
    logger.warning("Alert delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, reason)


def alert_deliver(*, delivery_id: int) -> bool:
    """Send one pending delivery; True when it went out. A failure is recorded and retried by the sweep.

    The row stays locked while sending, so two workers never send the same
    delivery at once; a worker killed after sending but before commit sends
    again later (at least once: receivers drop repeats by idempotency key).
    """
    with transaction.atomic():
        delivery = (
            AlertDelivery.objects.select_for_update(of=("self",))
            .select_related("event", "subscription", "subscription__user")
            .filter(pk=delivery_id, state=AlertDelivery.State.PENDING)
            .first()
        )
        if delivery is None or delivery.subscription.channel == Channel.DIGEST:
            return False
        now = timezone.now()
        try:
            _send(delivery)
        except channels.DeliveryFailed as exc:
            _failed(delivery, str(exc), now)
            return False
        delivery.attempts += 1
        delivery.state, delivery.sent_at, delivery.last_error = AlertDelivery.State.SENT, now, ""
        delivery.save(update_fields=["attempts", "state", "sent_at", "last_error"])
    return True


def alerts_sweep(*, now: datetime | None = None) -> int:
    """Publish what the broker may have missed: events not fanned out, deliveries due. Returns the count."""
    now = now or timezone.now()
    events = list(AlertEvent.objects.filter(fanned_out_at__isnull=True).values_list("pk", flat=True)[:500])
    for event_id in events:
        _publish(FAN_OUT_TASK, event_id)
    due = AlertDelivery.objects.filter(state=AlertDelivery.State.PENDING, next_attempt_at__lte=now).exclude(
        subscription__channel=Channel.DIGEST
    )
    ids = list(due.values_list("pk", flat=True)[:500])
    # Claimed for a while, so the next sweep does not publish them again while they wait in the queue.
    AlertDelivery.objects.filter(pk__in=ids, state=AlertDelivery.State.PENDING).update(
        next_attempt_at=now + timedelta(seconds=settings.ALERT_CLAIM_SECONDS)
    )
    for delivery_id in ids:
        _publish(DELIVER_TASK, delivery_id)
    return len(events) + len(ids)


@transaction.atomic
def alert_resend(*, delivery_id: int) -> AlertDelivery:
    """Send a delivery again (failed, or sent and wanted once more), with the same idempotency key."""
    AlertDelivery.objects.filter(pk=delivery_id).update(
        state=AlertDelivery.State.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    transaction.on_commit(lambda: _publish(DELIVER_TASK, delivery_id))
    return AlertDelivery.objects.get(pk=delivery_id)


def alerts_source_recovered(*, source: Source, recovered_from: str, after_checks: int) -> int:
    """A source that was gone or unreadable answers again: tell those watching its flagged claims.

    Returns the number of events written (one per claim citing the source that waits for review).
    """
    claims = list(
        Claim.objects.filter(evidence__source=source, needs_review=True).distinct().values_list("pk", flat=True)
    )
    label = Source.Outcome(recovered_from).label.lower() if recovered_from in Source.Outcome.values else recovered_from
    for claim_id in claims:
        alert_record(
            kind=Kind.RECOVERED,
            claim_id=claim_id,
            source_id=source.pk,
            reason=f"The source answers again after {after_checks} check(s) {label}.",
        )
    return len(claims)


def alerts_send_digests() -> int:
    """One email per person with every pending digest alert; returns the number of emails sent."""
    pending = (
        AlertDelivery.objects.filter(state=AlertDelivery.State.PENDING, subscription__channel=Channel.DIGEST)
        .select_related("event", "subscription__user")
        .order_by("subscription__user_id", "event__created_at", "pk")
    )
    by_person: dict[int, list[AlertDelivery]] = {}
    for delivery in pending:
        by_person.setdefault(delivery.subscription.user_id, []).append(delivery)  # type: ignore[arg-type]
    sent = 0
    for deliveries in by_person.values():
        user = deliveries[0].subscription.user
        parts = [text.body(d.event.get_kind_display(), d.event.data) for d in deliveries]
        subject = f"[{settings.CLAIMREVIEW_PUBLISHER_NAME}] Daily digest: {len(deliveries)} alert(s)"
        now = timezone.now()
        try:
            channels.send_email(to=user.email if user else "", subject=subject, body="\n\n---\n\n".join(parts))
        except channels.DeliveryFailed as exc:
            for delivery in deliveries:
                _failed(delivery, str(exc), now)
            continue
        AlertDelivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
            state=AlertDelivery.State.SENT, sent_at=now, attempts=1, last_error=""
        )
        sent += 1
    return sent
