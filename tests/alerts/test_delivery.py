"""Alerts end to end in this process, against a real SMTP server and a real webhook receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.alerts.channels import SIGNATURE_HEADER
from claims.models import AlertDelivery, AlertEvent, AlertSubscription, Evidence
from claims.services.alerts import alert_deliver, alert_fan_out, alerts_send_digests, alerts_sweep
from claims.services.publishing import claim_publish
from claims.services.review import claim_flag_for_review
from claims.services.status import claim_change_status
from tests.alerts.conftest import HOOK, text_of
from tests.factories import ArticleFactory, ClaimFactory, EvidenceFactory, SourceFactory, UserFactory
from tests.fetching.servers import Page
from tests.rechecks.stack import free_port

pytestmark = pytest.mark.django_db


def verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """The receiver's check, as docs/alerts.md shows it."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    if abs(time.time() - timestamp) > tolerance:
        return False  # too old: a replay
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def webhook(receiver, **fields) -> AlertSubscription:  # type: ignore[no-untyped-def]
    fields.setdefault("name", "Partner")
    return AlertSubscription.objects.create(channel="webhook", webhook_url=receiver.url(HOOK), **fields)


def deliver_all(event: AlertEvent) -> list[bool]:
    alert_fan_out(event_id=event.pk)
    return [alert_deliver(delivery_id=d.pk) for d in AlertDelivery.objects.filter(event=event).order_by("pk")]


def status_event(claim, to_status: str = "unconfirmed") -> AlertEvent:  # type: ignore[no-untyped-def]
    claim_change_status(
        claim_id=claim.pk, to_status=to_status, rationale="Only the ministry says so.", user=None, expected_version=None
    )
    return AlertEvent.objects.filter(claim=claim).latest("created_at")


def test_the_event_is_written_with_the_change_or_not_at_all():
    claim = ClaimFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        claim_change_status(claim_id=claim.pk, to_status="unconfirmed", rationale="x", user=None, expected_version=None)
        raise RuntimeError("the change is rolled back")
    assert not AlertEvent.objects.filter(claim=claim).exists()
    event = status_event(claim)
    assert (event.kind, event.data["from_status"], event.data["to_status"]) == (
        "status_changed",
        "unverified",
        "unconfirmed",
    )


def test_a_webhook_is_delivered_once_and_signed(receiver):
    subscription = webhook(receiver)
    event = status_event(ClaimFactory())
    assert deliver_all(event) == [True]
    assert deliver_all(event) == [False]  # fan-out and delivery are idempotent
    [(_, headers, body, _)] = receiver.posts
    assert verify(subscription.secret, headers[SIGNATURE_HEADER.lower()], body)
    assert not verify("another secret", headers[SIGNATURE_HEADER.lower()], body)
    assert headers["idempotency-key"] == str(event.key) == json.loads(body)["id"]
    assert json.loads(body)["kind"] == "status_changed"


def test_a_failing_receiver_is_retried_with_back_off_and_nothing_is_lost(receiver, settings):
    settings.ALERT_RETRY_BASE_SECONDS, settings.ALERT_MAX_ATTEMPTS = 30, 3
    webhook(receiver)
    receiver.pages[HOOK] = Page(status=500)
    event = status_event(ClaimFactory())
    assert deliver_all(event) == [False]
    delivery = AlertDelivery.objects.get(event=event)
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("pending", 1, "webhook answered HTTP 500")
    assert delivery.next_attempt_at >= timezone.now() + timedelta(seconds=25)
    # The second failure waits twice as long.
    alert_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at >= timezone.now() + timedelta(seconds=55)
    # The receiver is fixed; the sweep finds the delivery once it is due.
    receiver.pages[HOOK] = Page(status=200)
    assert alerts_sweep(now=timezone.now() + timedelta(hours=1)) >= 1
    assert alert_deliver(delivery_id=delivery.pk)
    assert [status for *_, status in receiver.posts] == [500, 500, 200]
    assert len({headers["idempotency-key"] for _, headers, _, _ in receiver.posts}) == 1


def test_after_the_last_attempt_a_person_sends_it_again_from_the_admin(receiver, settings, editor_client):
    settings.ALERT_MAX_ATTEMPTS = 1
    subscription = webhook(receiver)
    subscription.webhook_url = f"http://127.0.0.1:{free_port()}{HOOK}"  # nobody listens: the receiver is down
    subscription.save()
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    event = status_event(ClaimFactory())
    deliver_all(event)
    delivery = AlertDelivery.objects.get(event=event)
    assert delivery.state == "failed" and "webhook not reached" in delivery.last_error
    log = editor_client.get("/admin/claims/alertdelivery/").content.decode()
    assert "webhook not reached" in log
    # when: the receiver is back and the editor sends it again
    AlertSubscription.objects.filter(pk=subscription.pk).update(webhook_url=receiver.url(HOOK))
    response = editor_client.post(
        "/admin/claims/alertdelivery/", {"action": "send_again", "_selected_action": [delivery.pk]}, follow=True
    )
    assert "Queued 1 delivery again." in response.content.decode()
    assert alert_deliver(delivery_id=delivery.pk)
    assert len(receiver.posts) == 1


def test_a_slow_receiver_does_not_hold_the_sender_past_its_deadline(receiver, settings):
    settings.ALERT_WEBHOOK_TIMEOUT = 1.0
    receiver.pages[HOOK] = Page(status=200, delay=20)
    webhook(receiver)
    assert deliver_all(status_event(ClaimFactory())) == [False]
    delivery = AlertDelivery.objects.get()
    assert delivery.state == "pending" and "timed out" in delivery.last_error.lower()


@pytest.mark.parametrize(
    "url", ["http://10.0.0.7/hook", "http://192.168.1.20/hook", "http://[::1]:8080/hook", "http://169.254.169.254/"]
)
def test_a_private_or_loopback_webhook_url_is_refused_at_input(url, editor_client):
    subscription = AlertSubscription(name="Bad", channel="webhook", webhook_url=url)
    with pytest.raises(ValidationError) as caught:
        subscription.full_clean()
    assert "webhook_url" in caught.value.message_dict
    response = editor_client.post(
        "/admin/claims/alertsubscription/add/",
        {
            "name": "Bad",
            "channel": "webhook",
            "webhook_url": url,
            "secret": "s",
            "scope": "everything",
            "is_active": "on",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "Re-checks could never read this address" in response.content.decode()
    assert not AlertSubscription.objects.exists()


def test_an_email_alert_quotes_before_and_after_and_links_to_the_review(smtp, settings):
    settings.DESK_BASE_URL = "https://desk.example"
    person = UserFactory(email="amina@newsroom.example")
    AlertSubscription.objects.create(name="Amina", channel="email", user=person, scope="flags")
    source = SourceFactory(name="Ministry statement")
    claim = ClaimFactory(text="We captured five fighters near the bridge.")
    EvidenceFactory(claim=claim, source=source, quote="five fighters were captured", role=Evidence.Role.MADE)
    Evidence.objects.filter(claim=claim).update(quote_state="edited", quote_change="“five” became “three”")
    source.snapshots.create(text_hash="x", text="Officials said three fighters were captured. Aid was delayed.")
    check = source.checks.create(state="done", outcome="changed")
    claim_flag_for_review(
        claim_id=claim.pk, reason="Re-check of the statement: the quoted passage was edited.", check=check
    )
    status_event(claim)  # not a flag: this subscription ignores it
    for event in AlertEvent.objects.filter(claim=claim):
        deliver_all(event)
    [mail] = smtp.messages
    body = text_of(mail)
    assert mail["X-Rcpt-To"] == "amina@newsroom.example"
    assert "Flagged for review" in mail["Subject"]
    assert "Quoted before: “five fighters were captured”" in body
    assert "What changed: “five” became “three”" in body
    assert "The page now says: “Officials said three fighters were captured.”" in body
    assert f"Review it: https://desk.example/admin/claims/claim/{claim.pk}/change/" in body


def test_quiet_hours_hold_an_immediate_email_until_they_end(smtp):
    now = timezone.now()
    person = UserFactory(email="night@newsroom.example")
    start, end = (now - timedelta(hours=1)).time(), (now + timedelta(hours=1)).time()
    AlertSubscription.objects.create(name="Night", channel="email", user=person, quiet_from=start, quiet_until=end)
    event = status_event(ClaimFactory())
    assert alert_fan_out(event_id=event.pk) == []
    delivery = AlertDelivery.objects.get(event=event)
    assert delivery.next_attempt_at > now and smtp.messages == []


def test_the_daily_digest_sends_one_mail_per_person(smtp):
    person = UserFactory(email="digest@newsroom.example")
    AlertSubscription.objects.create(name="Digest", channel="digest", user=person)
    for claim in (ClaimFactory(), ClaimFactory()):
        alert_fan_out(event_id=status_event(claim).pk)
    assert alerts_send_digests() == 1
    assert alerts_send_digests() == 0
    [mail] = smtp.messages
    assert "2 alert(s)" in mail["Subject"] and text_of(mail).count("Status changed.") == 2


def test_subscriptions_choose_what_they_hear(receiver):
    article = ArticleFactory()
    mine = ClaimFactory(article=article)
    other = ClaimFactory()
    webhook(receiver, name="article", scope="article", article=article)
    webhook(receiver, name="partner", published_only=True)
    for claim in (mine, other):
        deliver_all(status_event(claim))
    assert len(receiver.posts) == 1  # the article's claim, to the article subscription only
    published = claim_publish(claim_id=other.pk, user=None)
    deliver_all(AlertEvent.objects.filter(claim=published, kind="published").get())
    assert len(receiver.posts) == 2  # partners hear about published claims


def test_chat_goes_through_apprise(receiver, settings):
    AlertSubscription.objects.create(
        name="Desk chat", channel="chat", chat_url=f"json://127.0.0.1:{receiver.port}{HOOK}"
    )
    assert deliver_all(status_event(ClaimFactory(text="The bridge was destroyed."))) == [True]
    [(_, _, body, _)] = receiver.posts
    assert "The bridge was destroyed." in json.loads(body)["message"]
