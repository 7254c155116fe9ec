"""The relapse watch is part of the clinical record: the database refuses DELETE and TRUNCATE."""

from django.db import migrations

from practice.dbguards import refuse_removal


class Migration(migrations.Migration):
    dependencies = [
        ("termination", "0006_relapse_watch"),
        ("practice", "0002_audit_append_only"),
    ]

    operations = [
        refuse_removal(
            "termination_followupcontact",
            "termination_watchcheckin",
            "termination_relapsesignal",
        )
    ]
