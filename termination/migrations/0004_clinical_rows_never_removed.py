"""Nothing clinical is ever hard-deleted: the database refuses DELETE and TRUNCATE."""

from django.db import migrations

from practice.dbguards import refuse_removal


class Migration(migrations.Migration):
    dependencies = [
        ("termination", "0003_documents"),
        ("practice", "0002_audit_append_only"),
    ]

    operations = [
        refuse_removal(
            "termination_termination",
            "termination_terminationevent",
            "termination_referral",
            "termination_relapseplan",
            "termination_tapersession",
            "termination_outreachattempt",
            "termination_followup",
            "termination_closingsummary",
            "termination_summaryaddendum",
            "termination_document",
        )
    ]
