"""Content-Security-Policy on every response, and admin pages that need no inline script or style element."""

from __future__ import annotations

import io
import logging
from datetime import timedelta

import lxml.html
import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims.models import SourceSnapshot
from tests.factories import ClaimFactory, EvidenceFactory, UserFactory
from tests.public.desk import build_desk

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


@pytest.fixture
def superuser_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_every_kind_of_response_carries_the_policy(superuser_client):
    anonymous = Client()
    for response in (
        anonymous.get("/admin/login/"),
        anonymous.get("/api/claims/"),  # 401 JSON
        superuser_client.get("/admin/"),
        superuser_client.get("/api/claims/"),
    ):
        directives = policy(response)
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]


def test_the_api_docs_pages_get_inline_styles_but_never_inline_script(superuser_client):
    for url in ("/api/docs/", "/api/redoc/"):
        response = superuser_client.get(url)
        assert response.status_code == 200
        directives = policy(response)
        assert "'unsafe-inline'" in directives["style-src"]
        assert directives["script-src"] == ["'self'"]


def test_reader_pages_allow_inline_styles_and_the_embed_may_be_framed(settings):
    desk = build_desk(settings)
    reader = Client()
    page = reader.get(f"/facts/claims/{desk.published.pk}/")
    assert page.status_code == 200
    assert "'unsafe-inline'" in policy(page)["style-src"]
    assert policy(page)["script-src"] == ["'self'"]
    assert policy(page)["frame-ancestors"] == ["'none'"]
    embed = reader.get(f"/facts/claims/{desk.published.pk}/embed/")
    assert embed.status_code == 200
    assert "frame-ancestors" not in policy(embed)  # news sites frame the badge
    assert policy(embed)["script-src"] == ["'self'"]


def admin_pages() -> list[str]:
    """Every registered model's list and add page, plus one change page per model that has a row."""
    urls = ["/admin/", "/admin/password_change/"]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[row.pk]))
    return urls


def test_admin_pages_have_no_inline_script_and_no_style_element(superuser_client):
    # given a row of each of the main models, a source with two snapshots
    link = EvidenceFactory()
    ClaimFactory()
    for minutes_ago, text in ((10, "Old text."), (1, "New text.")):
        SourceSnapshot.objects.create(
            source=link.source,
            text=text,
            text_hash=str(minutes_ago).rjust(64, "0"),
            taken_at=timezone.now() - timedelta(minutes=minutes_ago),
            size=len(text),
        )
    extra = [
        reverse("admin:claims_source_diff", args=[link.source.pk]),
        reverse("admin:claims_claim_review_queue"),
    ]
    checked = 0
    for url in admin_pages() + extra:
        response = superuser_client.get(url)
        if response.status_code in (302, 403):  # read-only admins refuse their add page
            continue
        assert response.status_code == 200, url
        document = lxml.html.fromstring(response.content.decode())
        inline_scripts = document.xpath("//script[not(@src) and not(@type='application/json')]")
        assert not inline_scripts, f"{url}: inline <script> the policy refuses"
        assert not document.xpath("//style"), f"{url}: <style> element the policy refuses"
        assert not document.xpath("//*[@*[starts-with(name(), 'on')]]"), f"{url}: inline event handler"
        checked += 1
    assert checked > 20


def test_a_bad_host_header_is_one_warning_without_a_traceback():
    handler = logging.getLogger("django.security.DisallowedHost").handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        response = Client().get("/admin/login/", HTTP_HOST="attacker.example")
    finally:
        handler.setStream(previous)
    assert response.status_code == 400
    (line,) = stream.getvalue().splitlines()
    assert '"level": "WARNING"' in line
    assert "attacker.example" in line
    assert "Traceback" not in line and "exc_info" not in line
