"""The database settings of a bulk load, set for its duration and put back after it.

SQLite: ``synchronous=OFF`` (the write-ahead log stays: a killed process leaves a consistent database; only a
power cut during the load could lose its last batches), a 1 GiB page cache (the unique index-number index of
5 million publications, which stays during the load, is about 250 MB: it must not be read back from disk row by
row) and temporary B-trees in memory (index builds sort there). PostgreSQL: ``synchronous_commit=off`` (a
crash loses at most the last batches, never consistency). Settings a transaction forbids changing (a caller's
``atomic`` block, as in tests) are left alone."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connection
from django.db.backends.utils import CursorWrapper

SQLITE = {"synchronous": "OFF", "cache_size": "-1048576", "temp_store": "MEMORY"}
SQLITE_OUTSIDE_TRANSACTION = {
    "synchronous",
    "temp_store",
}  # SQLite refuses to change these inside a transaction
POSTGRES = {"synchronous_commit": "off"}


def _sqlite_get(cursor: CursorWrapper, name: str) -> str:
    cursor.execute(f"PRAGMA {name}")
    return str(cursor.fetchone()[0])


def _wanted() -> dict[str, str]:
    if connection.vendor == "postgresql":
        return dict(POSTGRES)
    if connection.vendor != "sqlite":
        return {}
    if connection.in_atomic_block:
        return {k: v for k, v in SQLITE.items() if k not in SQLITE_OUTSIDE_TRANSACTION}
    return dict(SQLITE)


def current() -> dict[str, str]:
    """The values of the settings this module changes, as the database reports them."""
    out: dict[str, str] = {}
    with connection.cursor() as cursor:
        for name in SQLITE if connection.vendor == "sqlite" else POSTGRES:
            if connection.vendor == "sqlite":
                out[name] = _sqlite_get(cursor, name)
            else:
                cursor.execute("SELECT current_setting(%s)", [name])
                out[name] = str(cursor.fetchone()[0])
    return out


def _apply(values: dict[str, str]) -> None:
    with connection.cursor() as cursor:
        for name, value in values.items():
            if connection.vendor == "sqlite":
                cursor.execute(f"PRAGMA {name} = {value}")
            else:
                cursor.execute("SELECT set_config(%s, %s, false)", [name, value])


@contextlib.contextmanager
def bulk_settings() -> Iterator[dict[str, str]]:
    """Switch to the load settings; the previous values come back on exit, whatever happened."""
    wanted = _wanted()
    before = {k: v for k, v in current().items() if k in wanted}
    _apply(wanted)
    try:
        yield wanted
    finally:
        _apply(before)
