"""Real receivers for alert tests: an SMTP server (aiosmtpd) and an HTTP server taking webhooks."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

from tests.fetching.servers import Page, PageServer
from tests.rechecks.stack import free_port

HOOK = "/hook"


class Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        message = message_from_bytes(envelope.original_content or envelope.content)
        message["X-Rcpt-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


def text_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


@pytest.fixture
def smtp(settings) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def receiver(settings) -> Iterator[PageServer]:
    """A webhook receiver answering 204 on /hook; tests change its answer."""
    with PageServer() as server:
        server.pages[HOOK] = Page(status=204)
        settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{server.port}"]
        yield server
