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


# --- The triggers, kept in place after every migrate ---------------------------
# On SQLite, Django rebuilds a table for most column changes (copy, drop, rename),
# and the triggers go with the old table. Migration 0007 created them first; this
# post_migrate receiver puts back any that a later migration dropped.
REFUSAL = "status history is append-only; record a new status change instead"
CLAIM_REFUSAL = "a claim with status history cannot be deleted; archive it instead"

SQLITE_TRIGGERS = {
    "claims_statuschange_no_update": f"""CREATE TRIGGER claims_statuschange_no_update
        BEFORE UPDATE ON claims_statuschange
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
    "claims_statuschange_no_delete": f"""CREATE TRIGGER claims_statuschange_no_delete
        BEFORE DELETE ON claims_statuschange WHEN NOT claims_history_maintenance()
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
    "claims_claim_keep_history": f"""CREATE TRIGGER claims_claim_keep_history
        BEFORE DELETE ON claims_claim
        WHEN NOT claims_history_maintenance()
            AND EXISTS (SELECT 1 FROM claims_statuschange WHERE claim_id = OLD.id)
        BEGIN SELECT RAISE(ABORT, '{CLAIM_REFUSAL}'); END""",  # noqa: S608 (constants, no input)
}
# The functions stay with the schema on PostgreSQL; only the triggers are checked.
POSTGRESQL_TRIGGERS = {
    "claims_statuschange_append_only": """CREATE TRIGGER claims_statuschange_append_only
        BEFORE UPDATE OR DELETE ON claims_statuschange
        FOR EACH ROW EXECUTE FUNCTION claims_statuschange_refuse()""",
    "claims_claim_keep_history": """CREATE TRIGGER claims_claim_keep_history
        BEFORE DELETE ON claims_claim
        FOR EACH ROW EXECUTE FUNCTION claims_claim_keep_history()""",
}
_EXISTING = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger'",
    "postgresql": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal",
}


def history_triggers_ensure(*, connection: Any) -> list[str]:
    """Create whichever history trigger is missing; returns their names (none on a healthy schema)."""
    wanted = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}.get(connection.vendor, {})
    if not wanted or "claims_statuschange" not in connection.introspection.table_names():
        return []
    with connection.cursor() as cursor:
        cursor.execute(_EXISTING[connection.vendor])
        existing = {row[0] for row in cursor.fetchall()}
        missing = [name for name in wanted if name not in existing]
        for name in missing:
            cursor.execute(wanted[name])
    return missing


def recreate_history_triggers(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """post_migrate receiver: the triggers survive any later migration's table rebuild."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    recorder = MigrationRecorder(connection)
    # Before 0007 has run (a migrate to an older state) there is nothing to keep.
    if (
        recorder.has_table()
        and recorder.migration_qs.filter(app="claims", name="0007_history_append_only_in_database").exists()
    ):
        history_triggers_ensure(connection=connection)
