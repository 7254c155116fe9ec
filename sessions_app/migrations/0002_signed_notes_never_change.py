"""A signed note, its addenda and its history cannot change, even by SQL.

A note awaiting co-signature may change state (co-signed, or returned to draft) but not its
content. SQLite cannot refuse DELETE (Django's test flush uses it); PostgreSQL refuses both.
"""

from django.db import migrations

from practice.dbsql import run_vendor_sql

CONTENT = ("data", "assessment", "plan", "risk_level", "risk_notes", "signed_by_id", "signed_at",
           "content_sha256", "session_id", "client_id", "author_id")
PG_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in CONTENT)
SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT)

NOTE = "sessions_app_progressnote"
APPEND_ONLY = ("sessions_app_noteaddendum", "sessions_app_noteevent")


def pg_up() -> str:
    statements = [
        f"""CREATE TRIGGER {NOTE}_signed_never_changes BEFORE UPDATE ON {NOTE} FOR EACH ROW
            WHEN (OLD.status = 'signed'
                  OR (OLD.status = 'awaiting_cosign' AND ({PG_CHANGED})))
            EXECUTE FUNCTION practice_refuse_change();""",
        f"""CREATE TRIGGER {NOTE}_signed_never_deleted BEFORE DELETE ON {NOTE} FOR EACH ROW
            WHEN (OLD.status <> 'draft') EXECUTE FUNCTION practice_refuse_change();""",
    ]
    statements += [
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW
            EXECUTE FUNCTION practice_refuse_change();"""
        for table in APPEND_ONLY
    ]
    return "\n-- next\n".join(statements)


def sqlite_up() -> str:
    statements = [
        f"""CREATE TRIGGER {NOTE}_signed_never_changes BEFORE UPDATE ON {NOTE}
            WHEN OLD.status = 'signed' OR (OLD.status = 'awaiting_cosign' AND ({SQLITE_CHANGED}))
            BEGIN SELECT RAISE(ABORT, 'a signed note cannot be changed'); END;"""
    ]
    statements += [
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, 'rows of {table} cannot be changed'); END;"""
        for table in APPEND_ONLY
    ]
    return "\n-- next\n".join(statements)


def drop(vendor: str) -> str:
    names = [f"{NOTE}_signed_never_changes", f"{NOTE}_signed_never_deleted"] + [
        f"{table}_append_only" for table in APPEND_ONLY
    ]
    tables = [NOTE, NOTE, *APPEND_ONLY]
    if vendor == "postgresql":
        return "\n-- next\n".join(
            f"DROP TRIGGER IF EXISTS {n} ON {t};" for n, t in zip(names, tables, strict=True)
        )
    return "\n-- next\n".join(f"DROP TRIGGER IF EXISTS {n};" for n in names)


class Migration(migrations.Migration):
    dependencies = [("sessions_app", "0001_initial"), ("practice", "0002_audit_append_only")]

    operations = [
        run_vendor_sql(
            postgresql=pg_up(), sqlite=sqlite_up(),
            reverse_postgresql=drop("postgresql"), reverse_sqlite=drop("sqlite"),
        ),
    ]
