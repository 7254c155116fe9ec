"""Triggers by which the database itself refuses to lose a protected row.

Nothing clinical is ever hard-deleted and the audit log only grows, so both engines refuse
`DELETE` on these tables, and PostgreSQL also refuses `TRUNCATE` (row triggers do not see it,
so it needs a statement-level trigger). SQLite has no `TRUNCATE`: its "truncate optimisation"
of a bare `DELETE` is switched off by the presence of a delete trigger.

The PostgreSQL triggers call `practice_refuse_change()`, created by practice's migration 0002.
"""

from django.db import migrations

from practice.dbsql import run_vendor_sql

# SQLite triggers named with this suffix are the ones the test suite's flush lifts for a moment
# (tests/dbflush.py); keep the two in step.
SQLITE_SUFFIX = "_never_deleted_sqlite"


def _postgresql_up(table: str) -> str:
    return "\n-- next\n".join(
        [
            f"""CREATE TRIGGER {table}_never_removed BEFORE DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION practice_refuse_change();""",
            f"""CREATE TRIGGER {table}_never_truncated BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION practice_refuse_change();""",
        ]
    )


def _sqlite_up(table: str) -> str:
    return f"""CREATE TRIGGER {table}{SQLITE_SUFFIX} BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, 'rows of {table} cannot be deleted'); END;"""


def _postgresql_down(table: str) -> str:
    return "\n-- next\n".join(
        f"DROP TRIGGER IF EXISTS {table}_{name} ON {table};"
        for name in ("never_removed", "never_truncated")
    )


def refuse_removal(*tables: str) -> migrations.RunPython:
    """A migration operation making the database refuse DELETE and TRUNCATE on `tables`."""
    return run_vendor_sql(
        postgresql="\n-- next\n".join(_postgresql_up(table) for table in tables),
        sqlite="\n-- next\n".join(_sqlite_up(table) for table in tables),
        reverse_postgresql="\n-- next\n".join(_postgresql_down(table) for table in tables),
        reverse_sqlite="\n-- next\n".join(
            f"DROP TRIGGER IF EXISTS {table}{SQLITE_SUFFIX};" for table in tables
        ),
    )


class AddFieldKeepingTriggers(migrations.AddField):
    """AddField that keeps a table's triggers on SQLite.

    SQLite cannot add a NOT NULL column with ALTER TABLE in Django's eyes, so Django rebuilds the
    table, and the rebuild drops every trigger on it (the guards above, the signed-record
    triggers). SQLite itself can add such a column with a constant default, so this does that.
    PostgreSQL adds the column as usual.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        field = model._meta.get_field(self.name)
        definition, params = schema_editor.column_sql(model, field, include_default=True)
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {quote(model._meta.db_table)} ADD COLUMN {quote(field.column)} "
            f"{definition}",
            params,
        )
