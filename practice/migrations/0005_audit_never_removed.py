"""The audit log refuses DELETE on both engines and TRUNCATE on PostgreSQL."""

from django.db import migrations

from practice.dbguards import refuse_removal


class Migration(migrations.Migration):
    dependencies = [("practice", "0004_reminders")]

    operations = [refuse_removal("practice_auditevent")]
