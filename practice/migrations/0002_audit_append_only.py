"""The database refuses to change audit rows, whatever code runs against it.

PostgreSQL refuses UPDATE and DELETE. SQLite refuses UPDATE; it cannot refuse DELETE because
Django's test flush empties SQLite tables with DELETE (PostgreSQL's flush uses TRUNCATE, which
row triggers do not see). The application never deletes audit rows on either database.
"""

from django.db import migrations

from practice.dbsql import run_vendor_sql


def create_policy(apps, schema_editor):
    apps.get_model("practice", "PracticePolicy").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("practice", "0001_initial")]

    operations = [
        run_vendor_sql(
            postgresql="""
                CREATE OR REPLACE FUNCTION practice_refuse_change() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION 'rows of % cannot be changed or deleted', TG_TABLE_NAME;
                END;
                $$ LANGUAGE plpgsql;
                CREATE TRIGGER practice_auditevent_append_only
                    BEFORE UPDATE OR DELETE ON practice_auditevent
                    FOR EACH ROW EXECUTE FUNCTION practice_refuse_change();
            """,
            sqlite="""
                CREATE TRIGGER practice_auditevent_append_only
                BEFORE UPDATE ON practice_auditevent
                BEGIN SELECT RAISE(ABORT, 'rows of practice_auditevent cannot be changed'); END;
            """,
            reverse_postgresql="""
                DROP TRIGGER IF EXISTS practice_auditevent_append_only ON practice_auditevent;
                DROP FUNCTION IF EXISTS practice_refuse_change();
            """,
            reverse_sqlite="DROP TRIGGER IF EXISTS practice_auditevent_append_only;",
        ),
        migrations.RunPython(create_policy, migrations.RunPython.noop),
    ]
