"""Fixtures shared by the whole suite: users by role and logged-in clients."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """A test database per pytest process, so two runs on one machine never share one."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        db.setdefault("TEST", {})["NAME"] = f"test_{db['NAME']}_{os.getpid()}"


def _user_in(group: str, username: str) -> User:
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db) -> User:
    return _user_in("editors", "editor")


@pytest.fixture
def fact_checker(db) -> User:
    return _user_in("fact-checkers", "checker")


@pytest.fixture
def viewer(db) -> User:
    return _user_in("viewers", "viewer")


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client
