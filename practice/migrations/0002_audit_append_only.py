"""The database refuses to change audit rows, whatever code runs against it.

PostgreSQL refuses UPDATE and DELETE. SQLite refuses UPDATE; it cannot refuse DELETE because
Django's test flush empties SQLite tables with DELETE (PostgreSQL's flush uses TRUNCATE, which
row triggers do not see). The application never deletes audit rows on either database.
"""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION practice_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'rows of % cannot be changed or deleted', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER practice_auditevent_append_only
    BEFORE UPDATE OR DELETE ON practice_auditevent
    FOR EACH ROW EXECUTE FUNCTION practice_refuse_change();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS practice_auditevent_append_only ON practice_auditevent;
DROP FUNCTION IF EXISTS practice_refuse_change();
"""
SQLITE_UP = """
CREATE TRIGGER practice_auditevent_append_only
BEFORE UPDATE ON practice_auditevent
BEGIN SELECT RAISE(ABORT, 'rows of practice_auditevent cannot be changed'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS practice_auditevent_append_only;"


def run(sql_by_vendor):
    def apply(apps, schema_editor):
        sql = sql_by_vendor.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql, params=None)

    return apply


def create_policy(apps, schema_editor):
    apps.get_model("practice", "PracticePolicy").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("practice", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        ),
        migrations.RunPython(create_policy, migrations.RunPython.noop),
    ]
