"""Editors manage people in the admin: create, set the role, disable; never superusers or raw permissions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from knox.models import AuthToken

from claims.services.tokens import token_create
from tests.admin.conftest import form_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-new-password-for-rania"


def groups_of(username: str) -> set[str]:
    return set(User.objects.get(username=username).groups.values_list("name", flat=True))


def test_an_editor_creates_a_fact_checker(editor_client):
    response = editor_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "rania",
            "email": "rania@desk.example",
            "role": "fact-checker",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    rania = User.objects.get(username="rania")
    assert groups_of("rania") == {"fact-checkers"}
    assert rania.is_staff and not rania.is_superuser and rania.check_password(PASSWORD)
    assert not rania.user_permissions.exists()


def test_the_editor_form_offers_no_superuser_staff_permission_or_group_fields(editor_client, fact_checker):
    for url in (reverse("admin:auth_user_add"), reverse("admin:auth_user_change", args=[fact_checker.pk])):
        page = editor_client.get(url).content.decode()
        for field in ("is_superuser", "is_staff", "user_permissions", "groups"):
            assert f'name="{field}"' not in page, (url, field)
        assert 'name="role"' in page


def test_forged_fields_are_ignored(editor_client, fact_checker):
    url = reverse("admin:auth_user_change", args=[fact_checker.pk])
    data = form_data(editor_client.get(url), "user_form")
    every_permission = list(Permission.objects.values_list("pk", flat=True))
    data.update(
        role="editor",
        is_superuser="on",
        is_staff="on",
        user_permissions=every_permission,
        groups=[Group.objects.get(name="viewers").pk],
    )
    assert editor_client.post(url, data).status_code == 302
    fact_checker.refresh_from_db()
    assert not fact_checker.is_superuser
    assert not fact_checker.user_permissions.exists()
    assert groups_of(fact_checker.username) == {"editors"}  # the role, exactly one group


def test_disabling_a_person_revokes_their_tokens(editor_client, fact_checker):
    token_create(user=fact_checker)
    url = reverse("admin:auth_user_change", args=[fact_checker.pk])
    data = form_data(editor_client.get(url), "user_form")
    data.pop("is_active")  # unticked
    assert editor_client.post(url, data).status_code == 302
    fact_checker.refresh_from_db()
    assert not fact_checker.is_active
    assert not AuthToken.objects.filter(user=fact_checker).exists()


def test_superusers_are_read_only_to_editors_and_nobody_is_deleted(editor_client, viewer):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    change = reverse("admin:auth_user_change", args=[root.pk])
    assert editor_client.get(change).status_code == 200  # viewed, not editable
    assert editor_client.post(change, {"username": "root", "role": "viewer"}).status_code == 403
    assert editor_client.post(reverse("admin:auth_user_password_change", args=[root.pk]), {}).status_code == 403
    assert editor_client.post(reverse("admin:auth_user_delete", args=[viewer.pk]), {"post": "yes"}).status_code == 403
    root.refresh_from_db()
    assert root.is_superuser and User.objects.filter(pk=viewer.pk).exists()


def test_fact_checkers_and_viewers_cannot_manage_people(fact_checker, viewer, client):
    for user in (fact_checker, viewer):
        client.force_login(user)
        assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
        assert client.get(reverse("admin:auth_user_add")).status_code == 403


def test_the_list_shows_each_persons_role(editor_client, fact_checker, viewer):
    page = editor_client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "fact-checker" in page and "viewer" in page
