"""Sending one alert: email (Django's mail), a signed webhook, or chat through Apprise.

Each sender raises ``DeliveryFailed`` with a readable reason; the delivery
service records it and retries later. Senders know addresses and bytes, not
claims.
"""

from __future__ import annotations

import hashlib
import hmac
import time

import urllib3
from django.conf import settings
from django.core.mail import send_mail

from claims.fetching.client import tls_context
from claims.fetching.errors import FetchError
from claims.fetching.urls import parse_target, resolve_target

SIGNATURE_HEADER = "X-Tracker-Signature"
KEY_HEADER = "Idempotency-Key"


class DeliveryFailed(Exception):
    """The receiver did not take the alert; the reason says why."""


def signature(secret: str, body: bytes, timestamp: int) -> str:
    """``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>``: the receiver recomputes and compares."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def _pool(url: str, timeout: urllib3.Timeout) -> tuple[urllib3.HTTPConnectionPool, str, str]:
    # The fetcher's address rules, again at send time: a name that now resolves
    # to a private address is refused, and we dial the address we vetted.
    target = resolve_target(parse_target(url))
    address = str(target.addresses[0])
    if target.scheme == "https":
        pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(
            address,
            target.port,
            maxsize=1,
            retries=False,
            timeout=timeout,
            cert_reqs="CERT_REQUIRED",
            ssl_context=tls_context(),
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, target.port, maxsize=1, retries=False, timeout=timeout)
    return pool, target.host_header, target.path


def send_webhook(*, url: str, secret: str, body: bytes, key: str, kind: str) -> None:
    """POST the JSON body, signed; any 2xx is success. Never waits past ALERT_WEBHOOK_TIMEOUT."""
    limit = settings.ALERT_WEBHOOK_TIMEOUT
    timeout = urllib3.Timeout(connect=min(3.0, limit), read=limit, total=limit)
    try:
        pool, host, path = _pool(url, timeout)
        headers = {
            "Host": host,
            "Content-Type": "application/json",
            "User-Agent": "ClaimTracker-Alerts/1.0",
            SIGNATURE_HEADER: signature(secret, body, int(time.time())),
            KEY_HEADER: key,
            "X-Tracker-Event": kind,
        }
        response = pool.urlopen("POST", path, body=body, headers=headers, redirect=False, preload_content=False)
        try:
            status = response.status
        finally:
            response.release_conn()
            pool.close()
    except (FetchError, urllib3.exceptions.HTTPError, OSError) as exc:
        raise DeliveryFailed(f"webhook not reached: {exc}") from None
    if not 200 <= status < 300:
        raise DeliveryFailed(f"webhook answered HTTP {status}")


def send_email(*, to: str, subject: str, body: str) -> None:
    if not to:
        raise DeliveryFailed("the person has no email address")
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    except Exception as exc:  # smtplib, socket and backend errors alike
        raise DeliveryFailed(f"mail not sent: {exc}") from None


def chat_url_problem(url: str) -> str | None:
    """Why Apprise cannot use this URL, or None."""
    import apprise

    return None if apprise.Apprise().add(url) else "Apprise does not recognise this URL"


def send_chat(*, url: str, title: str, body: str) -> None:
    import apprise

    notifier = apprise.Apprise()
    if not notifier.add(url):
        raise DeliveryFailed("the chat URL is not one Apprise understands")
    if not notifier.notify(title=title, body=body):
        raise DeliveryFailed("the chat service did not accept the message")
