"""The database part of a backup: a consistent copy (SQLite's online backup API; ``pg_dump`` on PostgreSQL),
what the manifest says about it (row counts, migrations, the files its rows name), and its restore.

Consistency: on SQLite the copy is one step of ``sqlite3.Connection.backup`` (a read transaction, safe while the
site writes in WAL mode) and every fact is read from the copy; on PostgreSQL one REPEATABLE READ transaction
exports its snapshot, ``pg_dump --snapshot`` dumps exactly that snapshot, and the facts are read in the same
transaction. The manifest therefore describes the copy itself, not the live database a moment later.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, models, transaction
from django.utils.translation import gettext as _

from gongkai.backups.manifest import BackupError

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
# A target database "has data" when one of these has rows: a fresh `gongkai migrate` fills vocabularies,
# permissions and templates, never users, bodies or audit entries (and every write adds an audit entry).
OWNED_TABLES = ("auth_user", "organisations_organisation", "audit_auditentry")


class Cursor(Protocol):
    def execute(self, sql: str, /) -> Any: ...

    def fetchall(self) -> Sequence[Any]: ...

    def fetchone(self) -> Any: ...


@dataclass(frozen=True)
class Facts:
    """What the manifest records about a database copy."""

    row_counts: dict[str, int]
    migrations: dict[str, list[str]]
    file_references: list[str]  # the values of every FileField: paths relative to MEDIA_ROOT


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_names(cursor: Cursor, vendor: str) -> list[str]:
    """Ordinary tables (SQLite's FTS5 tables are virtual: their shadow tables are counted instead)."""
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
        )
    else:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    return [str(row[0]) for row in cursor.fetchall()]


def row_counts(cursor: Cursor, vendor: str) -> dict[str, int]:
    counts = {}
    for name in table_names(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(name)}")  # noqa: S608  # a quoted table name
        counts[name] = int(cursor.fetchall()[0][0])
    return counts


def facts(cursor: Cursor, vendor: str) -> Facts:
    counts = row_counts(cursor, vendor)
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(str(app), []).append(str(name))
    references: set[str] = set()
    for table, column in file_columns():
        if table in counts:
            cursor.execute(f"SELECT {quote(column)} FROM {quote(table)}")  # noqa: S608  # quoted names
            references.update(str(row[0]) for row in cursor.fetchall() if row[0])
    return Facts(counts, migrations, sorted(references))


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField: published report files, letters, submissions, attachments."""
    return [
        (model._meta.db_table, str(field.column))
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


# SQLite -------------------------------------------------------------------------------------------------------


def sqlite_path() -> Path:
    return Path(str(settings.DATABASES["default"]["NAME"]))


def sqlite_backup(target: Path) -> tuple[str, Facts]:
    """Copy the live SQLite database into ``target`` with the online backup API; its facts, read from the copy."""
    source = sqlite_path()
    if not source.is_file():
        raise BackupError(_("数据库文件 %(path)s 不存在：先运行 gongkai migrate") % {"path": source})
    with (
        contextlib.closing(sqlite3.connect(source, timeout=20)) as live,
        contextlib.closing(sqlite3.connect(target)) as copy,
    ):
        live.backup(copy)  # one step: a single read transaction, consistent while the site writes
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        return sqlite3.sqlite_version, facts(copy.cursor(), "sqlite")


def sqlite_restore(copy: Path) -> None:
    """Write the backup's database into the configured file, through the backup API (so that a database in
    WAL mode is replaced page by page, never a file swapped under an open -wal)."""
    target = sqlite_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    connections.close_all()
    with (
        contextlib.closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as source,
        contextlib.closing(sqlite3.connect(target, timeout=20)) as live,
    ):
        source.backup(live)


# PostgreSQL ---------------------------------------------------------------------------------------------------

_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)")


def server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def tool_major_of(line: str) -> int:
    """The major version in a version line such as "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"."""
    match = _VERSION.search(line)
    if match is None:
        raise BackupError(_("无法识别版本：%(line)s") % {"line": line})
    return int(match[1])


def tool_major(path: str) -> tuple[int, str]:
    """The major version of a PostgreSQL client program, and its version line."""
    line = subprocess.run(  # noqa: S603  # a program found on PATH, no shell
        [path, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    return tool_major_of(line), line


def candidates(name: str) -> list[str]:
    """Where a PostgreSQL client program may be: PATH first, then Debian's versioned folders, newest first."""
    versioned = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: -_folder_version(p))
    return list(dict.fromkeys(str(c) for c in [shutil.which(name), *versioned] if c))


def _folder_version(path: Path) -> int:
    version = path.parent.parent.name
    return int(version) if version.isdigit() else 0


def find_tool(name: str, needed: int) -> tuple[str, str]:
    """``pg_dump`` or ``pg_restore`` of major version ``needed`` or newer: on PATH, else in Debian's
    /usr/lib/postgresql/<N>/bin. Refuses an older one: it cannot read a newer server (pg_dump says so too late,
    after connecting)."""
    found: list[str] = []
    for candidate in candidates(name):
        major, line = tool_major(candidate)
        if major >= needed:
            return candidate, line
        found.append(line)
    if not found:
        raise BackupError(
            _(
                "找不到 %(name)s：请安装 PostgreSQL %(major)d 或更新版本的客户端（Debian：apt-get install postgresql-client-%(major)d）"
            )
            % {"name": name, "major": needed}
        )
    raise BackupError(
        _(
            "%(name)s 版本过旧（%(found)s），数据库服务器是 PostgreSQL %(major)d：请安装 postgresql-client-%(major)d 或更新版本"
        )
        % {"name": name, "found": "；".join(found), "major": needed}
    )


def pg_arguments() -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for the client programs, from DATABASE_URL (the password through
    PGPASSWORD, never on the command line)."""
    db = settings.DATABASES["default"]
    args = [f"--dbname={db['NAME']}"]
    for flag, value in (
        ("--host", db.get("HOST")),
        ("--port", db.get("PORT")),
        ("--username", db.get("USER")),
    ):
        if value:
            args.append(f"{flag}={value}")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    options = db.get("OPTIONS", {})
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(option):
            env[variable] = str(options[option])
    return args, env


def run_tool(argv: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s 失败（退出状态 %(code)d）：%(error)s")
            % {"tool": Path(argv[0]).name, "code": result.returncode, "error": result.stderr.strip()}
        )


@contextlib.contextmanager
def exported_snapshot() -> Iterator[tuple[str, Cursor]]:
    """A read-only REPEATABLE READ transaction and the id of its exported snapshot, for ``pg_dump --snapshot``."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        yield str(cursor.fetchone()[0]), cursor


def postgres_backup(target: Path) -> tuple[str, str, Facts]:
    """``pg_dump --format=custom`` of the configured database into ``target``; (server version, pg_dump's
    version line, facts read in the dumped snapshot)."""
    major = server_major()
    pg_dump, line = find_tool("pg_dump", major)
    args, env = pg_arguments()
    with exported_snapshot() as (snapshot, cursor):
        run_tool([pg_dump, *args, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"], env)
        found = facts(cursor, "postgresql")
        cursor.execute("SHOW server_version")
        version = str(cursor.fetchone()[0])
    return version, line, found


def postgres_restore(dump: Path, dumped_by: int) -> None:
    """``pg_restore --clean --if-exists --no-owner`` into the configured database, in one transaction: a failure
    leaves the database as it was. Dropping a table drops its triggers (the audit table's too) and the restore
    creates them again after loading the rows."""
    pg_restore, _line = find_tool("pg_restore", max(server_major(), dumped_by))
    args, env = pg_arguments()
    connections.close_all()
    run_tool(
        [
            pg_restore,
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(dump),
        ],
        env,
    )
    connections.close_all()


# Both ---------------------------------------------------------------------------------------------------------


def current_rows() -> dict[str, int]:
    """Row counts of the configured database as it is now (empty for a missing SQLite file)."""
    if connection.vendor == "sqlite" and not sqlite_path().exists():
        return {}
    with connection.cursor() as cursor:
        return row_counts(cursor, connection.vendor)


def has_data(counts: dict[str, int]) -> bool:
    return any(counts.get(table, 0) for table in OWNED_TABLES)
