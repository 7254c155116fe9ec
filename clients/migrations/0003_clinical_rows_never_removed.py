"""Nothing clinical is ever hard-deleted: the database refuses DELETE and TRUNCATE."""

from django.db import migrations

from practice.dbguards import refuse_removal


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0002_reviewcomment_chartreview"),
        ("practice", "0002_audit_append_only"),
    ]

    operations = [
        refuse_removal(
            "clients_client",
            "clients_clienttransfer",
            "clients_coverage",
            "clients_consent",
            "clients_goal",
            "clients_goalprogress",
            "clients_planreview",
            "clients_reviewcomment",
            "clients_chartreview",
        )
    ]
