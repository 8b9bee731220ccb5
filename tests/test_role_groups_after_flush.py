"""Transactional tests end with a flush; the role groups must be there again for the next one."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_flush_empties_the_groups():
    call_command("flush", interactive=False, verbosity=0)
    assert not Group.objects.exists()


def test_the_next_transactional_test_has_every_role_with_its_permissions(editor, fact_checker):
    assert editor.has_perm("claims.change_claim_status") and fact_checker.has_perm("claims.add_evidence")
    assert set(Group.objects.values_list("name", flat=True)) >= {"editors", "fact-checkers", "viewers"}
