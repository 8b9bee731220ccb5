"""The database's side of append-only status history (see migration 0007).

PostgreSQL and SQLite triggers refuse every UPDATE and DELETE of a
``claims_statuschange`` row, and the DELETE of a claim that has history, so
``QuerySet.update()``/``delete()`` and raw SQL are refused like ``save()``.

One thing may empty the history: ``manage.py flush`` (test teardown, a
scratch database). On PostgreSQL it uses TRUNCATE, which row triggers do not
see; on SQLite it uses DELETE, so the SQLite DELETE triggers ask
``claims_history_maintenance()``, an SQL function registered on every
connection here that answers 1 only inside ``history_maintenance()``. Where
the function is not registered (the sqlite3 shell) the DELETE fails, i.e. is
still refused.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_state = threading.local()


@contextmanager
def history_maintenance() -> Iterator[None]:
    """Let this thread's SQLite connection delete history rows (flush only)."""
    previous = getattr(_state, "active", False)
    _state.active = True
    try:
        yield
    finally:
        _state.active = previous


def _maintenance_active() -> int:
    return int(getattr(_state, "active", False))


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: give SQLite connections the trigger's bypass question."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("claims_history_maintenance", 0, _maintenance_active)
