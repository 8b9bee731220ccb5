"""Alerts through the real Celery worker: written on commit, fanned out and delivered by the worker, retried."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import AlertDelivery, AlertSubscription
from claims.services.alerts import alerts_sweep
from claims.services.publishing import claim_publish
from tests.factories import ClaimFactory
from tests.fetching.servers import Page, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_the_worker_delivers_a_published_claim_to_a_webhook_once(worker, pages):
    pages.pages["/hook"] = Page(status=500)
    AlertSubscription.objects.create(name="Partner", channel="webhook", webhook_url=pages.url("/hook"))
    claim = ClaimFactory(status="unconfirmed")

    # when: an editor publishes (the event commits with the change; the worker takes it from there)
    claim_publish(claim_id=claim.pk, user=None)

    # then: the receiver is down (500): the worker records the failure and keeps the delivery
    delivery = wait_for(
        lambda: AlertDelivery.objects.filter(event__claim=claim, attempts__gte=1).first(),
        timeout=60,
        what="the worker's first delivery attempt",
    )
    assert delivery.state == "pending" and "500" in delivery.last_error

    # when: the receiver is back and the sweep finds the delivery due
    pages.pages["/hook"] = Page(status=200)
    alerts_sweep(now=timezone.now() + timedelta(hours=2))

    # then: delivered, once, with the same idempotency key as the failed attempt
    wait_for(
        lambda: AlertDelivery.objects.filter(pk=delivery.pk, state="sent").exists(),
        timeout=60,
        what="the retried delivery to succeed",
    )
    assert [status for *_, status in pages.posts] == [500, 200]
    assert len({headers["idempotency-key"] for _, headers, _, _ in pages.posts}) == 1
