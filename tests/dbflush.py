"""Let the test suite's flush empty tables whose rows the database refuses to lose.

A transactional test ends with Django's flush: `TRUNCATE` on PostgreSQL, `DELETE` on SQLite.
The triggers of practice/dbguards.py refuse both, as they should anywhere but here. For the
flush alone, PostgreSQL runs with `session_replication_role = replica` (ordinary triggers do not
fire; the setting needs a superuser, which the test database's owner is and the application's
role is not), and SQLite drops the delete triggers and creates them again in the same
transaction.
"""

from django.db.backends.base.operations import BaseDatabaseOperations

from practice.dbguards import SQLITE_SUFFIX

_original_execute_sql_flush = BaseDatabaseOperations.execute_sql_flush


def _execute_sql_flush(self, sql_list):
    connection = self.connection
    if connection.vendor == "postgresql":
        sql_list = ["SET LOCAL session_replication_role = replica", *sql_list]
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"%{SQLITE_SUFFIX}"],
            )
            triggers = cursor.fetchall()
        sql_list = [
            *(f'DROP TRIGGER "{name}"' for name, _ in triggers),
            *sql_list,
            *(sql for _, sql in triggers),
        ]
    return _original_execute_sql_flush(self, sql_list)


def allow_test_flush() -> None:
    BaseDatabaseOperations.execute_sql_flush = _execute_sql_flush
