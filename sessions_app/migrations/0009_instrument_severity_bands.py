"""Severity bands as data on each instrument; the shipped PHQ-9 and GAD-7 get theirs (sources
beside the values in sessions_app/shipped_instruments.py)."""

from django.db import migrations, models

from sessions_app.shipped_instruments import ship


class Migration(migrations.Migration):
    dependencies = [("sessions_app", "0008_clinical_rows_never_removed")]

    operations = [
        # Nullable without a default: SQLite adds the column in place.
        migrations.AddField(
            model_name="instrument",
            name="severity_bands",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.RunPython(ship, migrations.RunPython.noop),
    ]
