"""The admin's links outside itself: "View site" and the icon."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_admin_view_site_and_favicon_lead_somewhere(editor_client):
    """The admin's "View site" link and the browser's /favicon.ico request both resolve to real pages."""
    index = editor_client.get("/admin/")
    assert b'href="/api/docs/"' in index.content
    assert b'rel="icon"' in index.content
    assert editor_client.get("/api/docs/").status_code == 200
    favicon = editor_client.get("/favicon.ico", follow=True)
    assert favicon.status_code == 200
    assert favicon.redirect_chain[0][0].endswith("claims/favicon.svg")
