"""Django's flush, with the append-only history guard stepped aside (see claims/append_only.py).

Test teardown (TransactionTestCase, pytest-django's transactional tests) calls
``flush`` by name, so this override is what keeps it working on SQLite, whose
flush deletes rows one table at a time and would trip the history triggers.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlushCommand

from claims.append_only import history_maintenance


class Command(DjangoFlushCommand):
    help = DjangoFlushCommand.help + " Status history is emptied too."

    def handle(self, **options: Any) -> None:
        with history_maintenance():
            super().handle(**options)
