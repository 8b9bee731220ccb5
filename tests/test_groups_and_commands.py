"""The desk's groups, and the set-up commands `make run` calls."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from claims.models import Claim

pytestmark = pytest.mark.django_db


def perms(group: str) -> set[str]:
    return set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))


def test_editors_may_do_everything_but_rewrite_history():
    editor = perms("editors")
    assert {"add_claim", "change_claim", "delete_claim", "change_claim_status", "recheck_claim"} <= editor
    assert "change_statuschange" not in editor
    assert "delete_statuschange" not in editor


def test_fact_checkers_read_add_evidence_change_status_and_never_delete():
    checker = perms("fact-checkers")
    assert {"view_claim", "add_evidence", "change_claim_status", "recheck_claim"} <= checker
    assert not {p for p in checker if p.startswith("delete_")}
    assert "change_claim" not in checker


def test_viewers_only_read():
    assert all(p.startswith("view_") for p in perms("viewers"))


def test_load_seed_command_is_idempotent(capsys):
    call_command("load_seed")
    call_command("load_seed")
    assert Claim.objects.count() == 13
    assert "0 claims created, 13 already present" in capsys.readouterr().out


def test_ensure_editor_creates_a_staff_editor_and_prints_the_login(capsys):
    call_command("ensure_editor", username="desk", password="a-long-test-password")
    user = User.objects.get(username="desk")
    assert user.is_staff and user.check_password("a-long-test-password")
    assert user.groups.filter(name="editors").exists()
    assert "Editor login: desk / a-long-test-password" in capsys.readouterr().out


def test_ensure_editor_refuses_an_empty_username():
    with pytest.raises(CommandError, match="must not be empty"):
        call_command("ensure_editor", username=" ")


def test_tracker_user_creates_moves_and_disables_people(capsys):
    call_command("tracker_user", "create", "rania", "--role", "fact-checker", "--password", "a-long-demo-password-1")
    assert "Created rania (fact-checker)" in capsys.readouterr().out
    rania = User.objects.get(username="rania")
    assert rania.is_staff and rania.is_active and rania.check_password("a-long-demo-password-1")
    assert [g.name for g in rania.groups.all()] == ["fact-checkers"]

    call_command("tracker_user", "set-role", "rania", "--role", "editor")
    assert [g.name for g in User.objects.get(username="rania").groups.all()] == ["editors"]

    call_command("tracker_user", "disable", "rania")
    assert not User.objects.get(username="rania").is_active


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "nobody"], "create needs --role (one of: viewer, fact-checker, editor)"),
        (["create", "weak", "--role", "viewer", "--password", "123"], "This password is too short."),
        (["set-role", "ghost", "--role", "viewer"], "No user named 'ghost'."),
        (["create", "Editor", "--role", "viewer", "--password", "a-long-demo-password-2"], "already exists"),
    ],
)
def test_tracker_user_refuses_bad_input_with_one_line(args, message):
    User.objects.create_user("editor", password="x")
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("tracker_user", *args)
    assert not User.objects.filter(username__in=["nobody", "weak", "ghost"]).exists()
