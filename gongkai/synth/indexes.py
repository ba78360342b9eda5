"""The secondary indexes of the big tables, dropped for a fresh load and recreated after it.

A B-tree index on a column the loader writes in random order (a body, a date, an index number) costs one random
page write per row once the index outgrows the cache: a SQLite load fell from 12,900 to 2,300 publications/s past
2.5 million rows. Building the same index once after the load is a sort, a small fraction of that.

The set is read from the database's catalog (``sqlite_master`` with ``pragma_index_list``, ``pg_indexes`` with
``pg_index``), never written down here, so that it is exactly what the migrations created: every index that
is neither a primary key, nor unique, nor behind a constraint (uniqueness stays enforced during the load). The
definitions are recorded in the table ``PENDING`` in the same transaction as the drops, and an index is removed
from it in the transaction that recreates it: a load killed half-way leaves its definitions there, and
``restore`` (``gongkai synth --repair``, or any later ``gongkai synth``) recreates them with the same SQL."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils.translation import gettext as _

PENDING = "gongkai_synth_dropped_index"


@dataclass(frozen=True)
class Index:
    name: str
    table: str
    sql: str


def _quote(name: str) -> str:
    return str(connection.ops.quote_name(name))


def secondary(tables: Iterable[str]) -> list[Index]:
    """The non-unique indexes of ``tables`` that no constraint owns, with their SQL, from the catalog."""
    names = sorted(set(tables))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.indexname, i.tablename, i.indexdef FROM pg_indexes i"
                " JOIN pg_namespace n ON n.nspname = i.schemaname"
                " JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = n.oid"
                " JOIN pg_index x ON x.indexrelid = c.oid"
                " WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)"
                " AND NOT x.indisunique AND NOT x.indisprimary"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)"
                " ORDER BY i.tablename, i.indexname",
                [names],
            )
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.execute(
                "SELECT m.name, m.tbl_name, m.sql FROM sqlite_master m"
                " JOIN pragma_index_list(m.tbl_name) l ON l.name = m.name"
                f" WHERE m.type = 'index' AND m.tbl_name IN ({marks})"
                " AND m.sql IS NOT NULL AND l.\"unique\" = 0 AND l.origin = 'c'"
                " ORDER BY m.tbl_name, m.name",
                names,
            )
        return [Index(*row) for row in cursor.fetchall()]


def schema() -> list[tuple[str, str, str]]:
    """Every index of the database as (table, name, SQL), for comparing a schema before and after a load."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                " ORDER BY tablename, indexname"
            )
        else:
            cursor.execute(
                "SELECT tbl_name, name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'index'"
                " ORDER BY tbl_name, name"
            )
        return [(str(t), str(n), str(s)) for t, n, s in cursor.fetchall()]


def _has_pending_table() -> bool:
    return PENDING in connection.introspection.table_names()


def pending() -> list[Index]:
    """Indexes dropped by a load that did not recreate them (empty when none)."""
    if not _has_pending_table():
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, tbl, definition FROM {_quote(PENDING)} ORDER BY tbl, name")
        return [Index(*row) for row in cursor.fetchall()]


def drop(model_list: Sequence[type[models.Model]]) -> list[Index]:
    """Drop the secondary indexes of these models' tables, recording their definitions first (one
    transaction); returns them. Indexes already pending from an earlier load stay recorded."""
    found = secondary(str(m._meta.db_table) for m in model_list)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {_quote(PENDING)}"
            " (name varchar(200) PRIMARY KEY, tbl varchar(200) NOT NULL, definition text NOT NULL)"
        )
        for index in found:
            cursor.execute(
                f"INSERT INTO {_quote(PENDING)} (name, tbl, definition) VALUES (%s, %s, %s)",
                [index.name, index.table, index.sql],
            )
            cursor.execute(f"DROP INDEX {_quote(index.name)}")
    return found


def _exists(name: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = %s", [name]
            )
        else:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = %s", [name])
        return cursor.fetchone() is not None


def restore(say: Callable[[str], None] = print) -> list[Index]:
    """Recreate every recorded index (each in its own transaction, removed from the record in it), then drop
    the record; an index that exists already (a migration made it again) is only struck off. Says the time
    taken per table; returns the indexes."""
    todo = pending()
    for table in sorted({index.table for index in todo}):
        started = time.perf_counter()
        mine = [index for index in todo if index.table == table]
        for index in mine:
            _recreate(index)
        took = time.perf_counter() - started
        say(_("  %(table)s：%(n)d 个索引，用时 %(s).1f 秒") % {"table": table, "n": len(mine), "s": took})
    if _has_pending_table():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {_quote(PENDING)}")
    return todo


def _recreate(index: Index) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            # a caller's open transaction (tests) may hold deferred foreign-key checks of the load:
            # PostgreSQL builds no index on a table with pending trigger events, so run them now
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if not _exists(index.name):
            cursor.execute(index.sql)
        cursor.execute(f"DELETE FROM {_quote(PENDING)} WHERE name = %s", [index.name])


def analyze(tables: Iterable[str]) -> None:
    """Planner statistics for the loaded tables (SQLite: sampled, ``analysis_limit``)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")
        for table in sorted(set(tables)):
            cursor.execute(f"ANALYZE {_quote(table)}")
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 0")
