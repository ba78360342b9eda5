"""Database triggers that refuse UPDATE and DELETE (and on PostgreSQL TRUNCATE) of audit entries, whoever sends
them: the application, an ad-hoc SQL session, a careless script (docs/audit.md).

One documented way past them, the **maintenance switch** (``maintenance()``), exists so that the test harness
can empty every table between transactional tests (Django's ``flush``). It is per connection and grants nothing
the connection could not already do: on SQLite whoever can write the file can drop a trigger; on PostgreSQL the
switch counts only for a role that owns the table (and so could drop the trigger anyway). The application never
turns it on.

The SQL is here once: the migrations and the tests use it. A later migration that makes Django rebuild the
table on SQLite (most ``AlterField``) drops its triggers with it and must install them again."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditentry"
# SQLite: an SQL function of that name; PostgreSQL: the setting gongkai.audit_maintenance
SWITCH = "gongkai_audit_maintenance"
REFUSAL = "audit entries are append-only"

SQLITE_INSTALL = [
    f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} WHEN NOT {SWITCH}() "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}: UPDATE refused'); END",
    f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} WHEN NOT {SWITCH}() "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}: DELETE refused'); END",
]
SQLITE_UNINSTALL = [f"DROP TRIGGER IF EXISTS {TABLE}_no_update", f"DROP TRIGGER IF EXISTS {TABLE}_no_delete"]

# Only constants are formatted into this SQL.
POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('gongkai.audit_maintenance', true) = 'on'
       AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        IF TG_OP = 'UPDATE' THEN RETURN NEW; END IF;
        RETURN OLD;  -- DELETE; TRUNCATE is a statement trigger, whose return value is ignored
    END IF;
    RAISE EXCEPTION '{REFUSAL}: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END $$""",  # noqa: S608
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse()",
    f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse()",
]
POSTGRES_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_refuse()",
]


def _statements(vendor: str, install: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_UNINSTALL
    if vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_UNINSTALL
    raise NotImplementedError(f"no audit triggers for {vendor}")


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=True):
            cursor.execute(sql)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=False):
            cursor.execute(sql)


_ON: weakref.WeakSet[BaseDatabaseWrapper] = weakref.WeakSet()


def register_switch(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: give each new SQLite connection the switch function (off unless
    ``maintenance()`` is on for it). A connection without it (the sqlite3 shell) gets "no such function" on
    UPDATE or DELETE of an entry: refused all the same."""
    if connection.vendor == "sqlite":
        wrapper = weakref.ref(connection)
        connection.connection.create_function(SWITCH, 0, lambda: int(wrapper() in _ON))


@contextmanager
def maintenance(using: str = "default") -> Iterator[None]:
    """Let this connection change or delete audit entries while the block runs. For the test harness's flush
    only (tests/conftest.py); see the module docstring for what it does and does not open."""
    connection = connections[using]
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET gongkai.audit_maintenance = 'on'")
    _ON.add(connection)
    try:
        yield
    finally:
        _ON.discard(connection)
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("RESET gongkai.audit_maintenance")
