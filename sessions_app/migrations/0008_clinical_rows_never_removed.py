"""Nothing clinical is ever hard-deleted: the database refuses DELETE and TRUNCATE."""

from django.db import migrations

from practice.dbguards import refuse_removal


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0007_measure_series"),
        ("practice", "0002_audit_append_only"),
    ]

    operations = [
        refuse_removal(
            "sessions_app_counselingsession",
            "sessions_app_progressnote",
            "sessions_app_noteevent",
            "sessions_app_noteaddendum",
            "sessions_app_group",
            "sessions_app_groupmember",
            "sessions_app_groupattendance",
            "sessions_app_rating",
            "sessions_app_alliancealert",
        )
    ]
