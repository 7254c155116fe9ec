"""Check-ins are part of the clinical record: the database refuses DELETE and TRUNCATE."""

from django.db import migrations

from practice.dbguards import refuse_removal


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0010_checkins"),
        ("practice", "0002_audit_append_only"),
    ]

    operations = [
        refuse_removal(
            "sessions_app_checkin",
            "sessions_app_checkinitem",
            "sessions_app_checkintoken",
            "sessions_app_checkinevent",
            "sessions_app_checkinoptout",
            "sessions_app_checkinschedule",
        )
    ]
