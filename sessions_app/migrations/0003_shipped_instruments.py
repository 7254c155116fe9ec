"""Instruments the product ships (see sessions_app/shipped_instruments.py)."""

from django.db import migrations

from sessions_app.shipped_instruments import ship


class Migration(migrations.Migration):
    dependencies = [("sessions_app", "0002_signed_notes_never_change")]
    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
