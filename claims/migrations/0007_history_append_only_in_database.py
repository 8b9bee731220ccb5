"""The database refuses UPDATE and DELETE on status history, and deleting a claim that has history.

Python's ``StatusChange.save()``/``delete()`` guards do not stop
``QuerySet.update()``/``delete()`` or SQL; these triggers do, on PostgreSQL
and on SQLite (the laptop default). Both raise an integrity error, which
Django reports as ``IntegrityError``. See ``claims/append_only.py`` for the
one bypass (``manage.py flush`` on SQLite).

On SQLite, a later migration that makes Django rebuild ``claims_statuschange``
or ``claims_claim`` (most column changes) drops these triggers with the old
table; ``claims.append_only.recreate_history_triggers`` (post_migrate) puts
them back.
"""

from django.db import migrations

REFUSAL = "status history is append-only; record a new status change instead"
CLAIM_REFUSAL = "a claim with status history cannot be deleted; archive it instead"

POSTGRESQL = f"""
CREATE FUNCTION claims_statuschange_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{REFUSAL} (% of status change %)', TG_OP, OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER claims_statuschange_append_only
    BEFORE UPDATE OR DELETE ON claims_statuschange
    FOR EACH ROW EXECUTE FUNCTION claims_statuschange_refuse();

CREATE FUNCTION claims_claim_keep_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM claims_statuschange WHERE claim_id = OLD.id) THEN
        RAISE EXCEPTION '{CLAIM_REFUSAL} (claim %)', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER claims_claim_keep_history
    BEFORE DELETE ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_keep_history();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER claims_claim_keep_history ON claims_claim;
DROP FUNCTION claims_claim_keep_history();
DROP TRIGGER claims_statuschange_append_only ON claims_statuschange;
DROP FUNCTION claims_statuschange_refuse();
"""

# One statement per entry: Python's sqlite3 runs one at a time.
SQLITE = [
    f"""CREATE TRIGGER claims_statuschange_no_update BEFORE UPDATE ON claims_statuschange
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
    f"""CREATE TRIGGER claims_statuschange_no_delete BEFORE DELETE ON claims_statuschange
    WHEN NOT claims_history_maintenance()
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
    f"""CREATE TRIGGER claims_claim_keep_history BEFORE DELETE ON claims_claim
    WHEN NOT claims_history_maintenance()
        AND EXISTS (SELECT 1 FROM claims_statuschange WHERE claim_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, '{CLAIM_REFUSAL}'); END""",
]

SQLITE_REVERSE = [
    "DROP TRIGGER claims_claim_keep_history",
    "DROP TRIGGER claims_statuschange_no_delete",
    "DROP TRIGGER claims_statuschange_no_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements_by_vendor:
            raise RuntimeError(f"append-only history triggers are written for PostgreSQL and SQLite, not {vendor}")
        statements = statements_by_vendor[vendor]
        for statement in [statements] if isinstance(statements, str) else statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_source_url_http_only")]
    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
