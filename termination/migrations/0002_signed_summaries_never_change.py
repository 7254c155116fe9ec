"""A signed closing summary, its addenda and the ending's event log cannot change, even by SQL.

A summary awaiting approval may be approved or returned, but its content cannot change.
SQLite cannot refuse DELETE (Django's test flush uses it); PostgreSQL refuses both.
"""

from django.db import migrations

from practice.dbsql import run_vendor_sql

CONTENT = ("service_dates", "attendance", "presenting_concerns", "goals_outcome", "measures",
           "alliance_trend", "reason", "condition_at_ending", "recommendations", "referrals",
           "relapse_plan", "signed_by_id", "signed_at", "content_sha256", "termination_id")
PG_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in CONTENT)
SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT)
SUMMARY = "termination_closingsummary"
APPEND_ONLY = ("termination_summaryaddendum", "termination_terminationevent")

PG_UP = "\n-- next\n".join([
    f"""CREATE TRIGGER {SUMMARY}_signed_never_changes BEFORE UPDATE ON {SUMMARY} FOR EACH ROW
        WHEN (OLD.status = 'signed' OR (OLD.status = 'awaiting_approval' AND ({PG_CHANGED})))
        EXECUTE FUNCTION practice_refuse_change();""",
    f"""CREATE TRIGGER {SUMMARY}_signed_never_deleted BEFORE DELETE ON {SUMMARY} FOR EACH ROW
        WHEN (OLD.status <> 'draft') EXECUTE FUNCTION practice_refuse_change();""",
    *[f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW
          EXECUTE FUNCTION practice_refuse_change();""" for table in APPEND_ONLY],
])
SQLITE_UP = "\n-- next\n".join([
    f"""CREATE TRIGGER {SUMMARY}_signed_never_changes BEFORE UPDATE ON {SUMMARY}
        WHEN OLD.status = 'signed' OR (OLD.status = 'awaiting_approval' AND ({SQLITE_CHANGED}))
        BEGIN SELECT RAISE(ABORT, 'a signed closing summary cannot be changed'); END;""",
    *[f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table}
          BEGIN SELECT RAISE(ABORT, 'rows of {table} cannot be changed'); END;"""
      for table in APPEND_ONLY],
])
NAMES = [(f"{SUMMARY}_signed_never_changes", SUMMARY), (f"{SUMMARY}_signed_never_deleted", SUMMARY),
         *[(f"{table}_append_only", table) for table in APPEND_ONLY]]


class Migration(migrations.Migration):
    dependencies = [("termination", "0001_initial"), ("practice", "0002_audit_append_only")]

    operations = [
        run_vendor_sql(
            postgresql=PG_UP,
            sqlite=SQLITE_UP,
            reverse_postgresql="\n-- next\n".join(
                f"DROP TRIGGER IF EXISTS {name} ON {table};" for name, table in NAMES),
            reverse_sqlite="\n-- next\n".join(f"DROP TRIGGER IF EXISTS {name};" for name, _ in NAMES),
        ),
    ]
