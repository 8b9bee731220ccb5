"""Fixtures shared by the whole suite: users by role and logged-in clients."""

from __future__ import annotations

import inspect
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


def restore_role_groups() -> None:
    """Replay the data migrations that make the role groups and grant their permissions.

    A transactional test ends with a flush, which empties every table, groups
    included; the next transactional test would find no roles. Replaying the
    migrations themselves (on their historical models) keeps one definition.
    """
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    loader = MigrationLoader(connection)
    apps = loader.project_state().apps
    for key in sorted(k for k in loader.disk_migrations if k[0] == "claims"):
        for operation in loader.disk_migrations[key].operations:
            if isinstance(operation, RunPython) and "Group" in inspect.getsource(operation.code):
                operation.code(apps, None)


@pytest.fixture(autouse=True)
def _role_groups_after_flush(request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    if not Group.objects.filter(name="editors").exists():
        restore_role_groups()


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
