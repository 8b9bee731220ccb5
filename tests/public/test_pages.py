"""Reader pages: published fields only, no login, cache headers a CDN can trust."""

from __future__ import annotations

import pytest
from django.test import Client

from claims.services.publishing import claim_unpublish
from tests.public.desk import INTERNAL_NOTES, PUBLIC_RATIONALE, RTL_TEXT

pytestmark = pytest.mark.django_db


def test_the_article_page_shows_what_we_know_and_only_published_claims(client, desk):
    response = client.get(f"/facts/articles/{desk.published.article_id}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "We captured five fighters near the bridge." in page
    assert "Ministry spokesperson" in page
    assert "Confirmed" in page
    assert PUBLIC_RATIONALE in page
    assert 'href="https://wire.example/report"' in page
    assert "five fighters were seen in custody" in page
    assert desk.unpublished.text not in page
    assert INTERNAL_NOTES not in page


def test_the_claim_page_has_its_history_and_a_claimreview(client, desk):
    page = client.get(f"/facts/claims/{desk.published.pk}/").content.decode()
    assert "Unverified → <strong>Confirmed</strong>" in page
    assert PUBLIC_RATIONALE in page
    assert INTERNAL_NOTES not in page
    assert '<script type="application/ld+json">' in page
    assert '<link rel="canonical" href="https://facts.example/facts/claims/' in page


def test_unpublished_and_withdrawn_claims_are_not_found(client, desk):
    assert client.get(f"/facts/claims/{desk.unpublished.pk}/").status_code == 404
    claim_unpublish(claim_id=desk.published.pk, user=None)
    assert client.get(f"/facts/claims/{desk.published.pk}/").status_code == 404
    assert client.get(f"/facts/claims/{desk.published.pk}/embed/").status_code == 404


def test_an_unverified_claim_shows_its_status_in_words_without_claimreview(client, desk):
    page = client.get(f"/facts/claims/{desk.rtl.pk}/").content.decode()
    assert "Unverified" in page
    assert "application/ld+json" not in page
    assert f'<p class="claim-text" dir="auto">“{RTL_TEXT}”</p>' in page


def test_public_pages_are_cacheable_and_revalidate_with_304(client, desk):
    url = f"/facts/claims/{desk.published.pk}/"
    response = client.get(url)
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=60", "s-maxage=300"} <= cache_control
    assert response["ETag"] and response["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]


def test_a_logged_in_editor_gets_the_same_page_without_cookies_or_vary(editor_client, desk):
    anonymous = Client().get(f"/facts/claims/{desk.published.pk}/")
    logged_in = editor_client.get(f"/facts/claims/{desk.published.pk}/")
    for response in (anonymous, logged_in):
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")
    assert logged_in.content == anonymous.content


def test_desk_pages_are_never_publicly_cacheable(editor_client, desk):
    response = editor_client.get(f"/admin/claims/claim/{desk.published.pk}/change/")
    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert "private" in Client().get("/api/claims/")["Cache-Control"]


def test_the_embed_may_be_framed_by_other_sites(client, desk):
    response = client.get(f"/facts/claims/{desk.published.pk}/embed/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "Confirmed" in response.content.decode()
    framed = client.get(f"/facts/claims/{desk.published.pk}/")
    assert framed["X-Frame-Options"] == "DENY"


def test_the_sitemap_lists_published_pages_only(client, desk):
    response = client.get("/facts/sitemap.xml")
    assert response["Content-Type"].startswith("application/xml")
    body = response.content.decode()
    assert f"<loc>https://facts.example/facts/claims/{desk.published.pk}/</loc>" in body
    assert f"<loc>https://facts.example/facts/articles/{desk.published.article_id}/</loc>" in body
    assert f"/facts/claims/{desk.unpublished.pk}/" not in body


def test_the_index_lists_articles_with_published_claims(client, desk):
    assert "Offensive towards Hama" in client.get("/facts/").content.decode()
