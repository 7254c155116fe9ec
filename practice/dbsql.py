"""Migration operation for SQL that differs between PostgreSQL and SQLite (triggers)."""

from django.db import migrations


def run_vendor_sql(
    *, postgresql: str, sqlite: str, reverse_postgresql: str = "", reverse_sqlite: str = ""
) -> migrations.RunPython:
    forward = {"postgresql": postgresql, "sqlite": sqlite}
    backward = {"postgresql": reverse_postgresql, "sqlite": reverse_sqlite}

    def runner(sql_by_vendor: dict[str, str]):
        def apply(apps, schema_editor):
            sql = sql_by_vendor.get(schema_editor.connection.vendor)
            if not sql:
                return
            # SQLite's driver runs one statement per call; split on the marker between them.
            for statement in sql.split("-- next"):
                if statement.strip():
                    schema_editor.execute(statement, params=None)

        return apply

    return migrations.RunPython(runner(forward), runner(backward))
