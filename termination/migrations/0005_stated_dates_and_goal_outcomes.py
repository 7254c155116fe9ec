from django.db import migrations, models


class Migration(migrations.Migration):
    # Nullable and without a default, so SQLite adds the columns in place and keeps the triggers
    # of 0002 and 0003 (a default would make it rebuild the tables without them).

    dependencies = [
        ("termination", "0004_clinical_rows_never_removed"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="stated_dates",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="closingsummary",
            name="goal_outcomes",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
