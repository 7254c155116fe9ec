from django.db import migrations, models

from practice.dbsql import run_vendor_sql

# SQLite adds this column by rebuilding the table, which drops its triggers: put back the one
# that keeps a ready document from changing (0003_documents). PostgreSQL keeps its triggers.
_0003 = __import__("termination.migrations.0003_documents", fromlist=["SQLITE_UP", "TABLE"])


class Migration(migrations.Migration):

    dependencies = [
        ('termination', '0003_documents'),
    ]

    operations = [
        migrations.AddField(
            model_name='document',
            name='stated_dates',
            field=models.JSONField(blank=True, default=dict),
        ),
        run_vendor_sql(
            postgresql="",
            sqlite=f"DROP TRIGGER IF EXISTS {_0003.TABLE}_ready_never_changes;\n-- next\n"
            + _0003.SQLITE_UP,
        ),
    ]
