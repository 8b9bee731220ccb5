"""Editors issue and revoke API tokens in the admin, within limits."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from knox.models import AuthToken

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/knox/authtoken/add/"


def test_editor_issues_a_token_that_expires_and_sees_it_once(editor_client, fact_checker):
    # when
    response = editor_client.post(ADD_URL, {"user": fact_checker.pk, "expiry": ""}, follow=True)
    # then: the token is shown once, stored hashed, with the default expiry
    token = AuthToken.objects.get(user=fact_checker)
    shown = re.search(r"TOKEN ([0-9a-f]{64})", response.content.decode())
    assert shown, "the new token is shown to the editor"
    assert shown.group(1) != token.digest
    assert token.expiry is not None and token.expiry > timezone.now()
    # and it authenticates against the API
    api = editor_client.__class__()
    assert api.get("/api/claims/", HTTP_AUTHORIZATION=f"Token {shown.group(1)}").status_code == 200


def test_editor_cannot_issue_a_token_for_a_superuser(editor_client):
    boss = UserFactory(username="boss", is_superuser=True, is_staff=True)
    response = editor_client.post(ADD_URL, {"user": boss.pk, "expiry": ""})
    assert response.status_code == 200  # the form comes back with an error
    assert "Select a valid choice" in response.content.decode()
    assert not AuthToken.objects.filter(user=boss).exists()


def test_editor_revokes_a_token(editor_client, fact_checker):
    token, _ = AuthToken.objects.create(user=fact_checker)
    response = editor_client.post(f"/admin/knox/authtoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AuthToken.objects.filter(pk=token.pk).exists()


def test_fact_checkers_cannot_manage_tokens(fact_checker):
    from django.test import Client

    client = Client()
    client.force_login(fact_checker)
    assert client.get(ADD_URL).status_code == 403
    assert User.objects.filter(pk=fact_checker.pk).exists()
