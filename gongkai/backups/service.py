"""Making a backup and restoring one (docs/backup.md).

A backup is written into a temporary folder beside DIR and renamed to DIR only when it is complete, so DIR
either holds a whole backup or does not exist. It holds the database copy first, then the files: a file that
the copied database names was on disk before the copy began (files are written before the rows that name them
commit), so only a file deleted during the backup can be missing, and the manifest lists any such file.

Never in a backup: the keys (GONGKAI_SECRET_KEY and GONGKAI_FIELD_KEY live in the environment; outside
production, in <data dir>/keys/, excluded by name here). Not needed in one: huey's queue, the abuse-limit
counters and the collected static files, which the site rebuilds (docs/backup.md, "What is not backed up").
"""

from __future__ import annotations

import getpass
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _

import gongkai
from gongkai.audit.log import SYSTEM, record
from gongkai.backups import database
from gongkai.backups.manifest import (
    FORMAT,
    BackupError,
    FileEntry,
    copy_file,
    describe,
    manifest_checksum,
    read_manifest,
    write_manifest,
)

EXCLUDED = {
    "keys/": "GONGKAI_SECRET_KEY / GONGKAI_FIELD_KEY: kept apart from every backup (docs/backup.md, Keys)",
    "huey.sqlite3": "the background queue: periodic jobs run again, notifications wait in the database",
    "throttle.sqlite3": "abuse-limit counters",
    "static/": "collected static files: gongkai collectstatic",
}


def file_roots() -> dict[str, Path]:
    """The data directory's folders that a backup copies, by their name in the backup."""
    return {"media": Path(settings.MEDIA_ROOT), "outbox": Path(settings.DATA_DIR) / "outbox"}


def keys_folder() -> Path:
    return (Path(settings.DATA_DIR) / "keys").resolve()


def _files_below(root: Path) -> list[Path]:
    """Regular files below ``root``, sorted; never a key, never through a symbolic link."""
    keys = keys_folder()
    found = []
    for path in sorted(root.rglob("*")) if root.is_dir() else []:
        if path.is_symlink() or not path.is_file() or path.resolve().is_relative_to(keys):
            continue
        found.append(path)
    return found


def copy_files(staging: Path) -> list[FileEntry]:
    entries = []
    for name, root in file_roots().items():
        for path in _files_below(root):
            relative = f"{name}/{path.relative_to(root).as_posix()}"
            size, digest = copy_file(path, staging / relative)
            entries.append(FileEntry(relative, size, digest))
    return entries


def _check_new_folder(folder: Path) -> None:
    for root in file_roots().values():
        if folder.resolve().is_relative_to(root.resolve()):
            raise BackupError(
                _(
                    "备份文件夹不能位于 %(root)s 之内（备份会复制它自己）：请放在数据目录之外，最好在另一块磁盘上"
                )
                % {"root": root}
            )
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(
            _("%(folder)s 已存在且不是空文件夹：每份备份写入一个新的文件夹（例如以日期命名）")
            % {"folder": folder}
        )


def make_backup(folder: Path) -> dict[str, Any]:
    """Back up the database and the data directory's files into the new or empty ``folder``; the manifest."""
    folder = folder.absolute()
    _check_new_folder(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.partial-", dir=folder.parent))
    try:
        manifest = _fill(staging)
        _check_new_folder(folder)
        os.rename(staging, folder)  # replaces an empty folder; never a half backup under DIR
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _fill(staging: Path) -> dict[str, Any]:
    created = timezone.localtime()
    vendor = connection.vendor
    if vendor == "sqlite":
        name, tool = database.SQLITE_FILE, "sqlite3 online backup API"
        version, found = database.sqlite_backup(staging / name)
    elif vendor == "postgresql":
        name = database.POSTGRES_FILE
        version, tool, found = database.postgres_backup(staging / name)
    else:
        raise BackupError(_("不支持备份 %(vendor)s 数据库") % {"vendor": vendor})
    files = copy_files(staging)
    media = {entry.path.removeprefix("media/") for entry in files}
    manifest = {
        "format": FORMAT,
        "gongkai_version": gongkai.__version__,
        "created_at": created.isoformat(),
        "finished_at": timezone.localtime().isoformat(),
        "database": {"vendor": vendor, "file": name, "server_version": version, "tool": tool},
        "migrations": found.migrations,
        "row_counts": found.row_counts,
        "files": [entry.as_dict() for entry in [describe(staging, name), *files]],
        "missing_media": sorted(set(found.file_references) - media),
        "excluded": EXCLUDED,
    }
    write_manifest(staging, manifest)
    return manifest


# Restore ------------------------------------------------------------------------------------------------------


@dataclass
class Restored:
    """What a restore did, for its summary."""

    manifest: dict[str, Any]
    checksum: str  # of manifest.json
    files: int = 0
    size: int = 0
    set_aside: list[Path] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # migrations of the code not applied in the backup
    unknown: list[str] = field(default_factory=list)  # migrations applied in the backup, unknown to the code
    unrecorded: str = ""  # why the restore's audit entry could not be written, if it could not


def existing_data() -> list[str]:
    """What a restore would overwrite here, one line each; empty when the target holds no data."""
    lines = []
    counts = database.current_rows()
    if database.has_data(counts):
        ranked = sorted(counts.items(), key=lambda item: (item[0] not in database.OWNED_TABLES, -item[1]))
        filled = {table: n for table, n in ranked if n}
        shown = "、".join(_("%(table)s %(n)d 行") % {"table": t, "n": n} for t, n in list(filled.items())[:8])
        lines.append(
            _("数据库 %(name)s 已有数据：%(shown)s……（共 %(tables)d 张表 %(rows)d 行）")
            % {
                "name": connection.settings_dict["NAME"],
                "shown": shown,
                "tables": len(filled),
                "rows": sum(filled.values()),
            }
        )
    for root in file_roots().values():
        count = len(_files_below(root))
        if count:
            lines.append(_("%(root)s 中已有 %(n)d 个文件（将移到一旁保留）") % {"root": root, "n": count})
    return lines


def restore(folder: Path, *, force: bool) -> Restored:
    """Restore the backup in ``folder`` over the configured database and data directory (verified first)."""
    folder = folder.absolute()
    manifest = read_manifest(folder)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _("这份备份来自 %(backup)s 数据库，当前配置的是 %(here)s：只能恢复到同类数据库")
            % {"backup": vendor, "here": connection.vendor}
        )
    existing = existing_data()
    if existing and not force:
        raise BackupError(
            _("目标已有数据，恢复将覆盖：\n%(what)s\n确认要覆盖时加 --force。")
            % {"what": "\n".join(f"  - {line}" for line in existing)}
        )
    staged = _stage_files(folder, manifest)
    try:
        _restore_database(folder, manifest)
    except BaseException:
        for path in staged.values():
            shutil.rmtree(path, ignore_errors=True)
        raise
    done = Restored(manifest, manifest_checksum(folder))
    done.set_aside = _swap_in(staged)
    _count_files(done)
    _check(done)
    return done


def _restore_database(folder: Path, manifest: dict[str, Any]) -> None:
    dump = folder / manifest["database"]["file"]
    if manifest["database"]["vendor"] == "sqlite":
        database.sqlite_restore(dump)
    else:
        database.postgres_restore(dump, database.tool_major_of(manifest["database"]["tool"]))


def _stage_files(folder: Path, manifest: dict[str, Any]) -> dict[str, Path]:
    """Copy the backup's files into temporary folders beside their targets, checking each checksum again."""
    staged: dict[str, Path] = {}
    try:
        for name, root in file_roots().items():
            root.parent.mkdir(parents=True, exist_ok=True)
            staged[name] = Path(tempfile.mkdtemp(prefix=f".{root.name}.restore-", dir=root.parent))
        for entry in manifest["files"]:
            top, _sep, rest = str(entry["path"]).partition("/")
            if top in staged:
                size, digest = copy_file(folder / entry["path"], staged[top] / rest)
                if (size, digest) != (entry["size"], entry["sha256"]):
                    raise BackupError(_("文件在校验后被改变：%(path)s") % {"path": entry["path"]})
    except BaseException:
        for path in staged.values():
            shutil.rmtree(path, ignore_errors=True)
        raise
    return staged


def _swap_in(staged: dict[str, Path]) -> list[Path]:
    """Put the staged folders in place; a folder that held files is renamed aside, never deleted."""
    aside = []
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    for name, root in file_roots().items():
        if root.exists():
            if any(root.iterdir()):
                kept = root.with_name(f"{root.name}.before-restore-{stamp}")
                os.rename(root, kept)
                aside.append(kept)
            else:
                root.rmdir()
        os.rename(staged[name], root)
    return aside


def _count_files(done: Restored) -> None:
    for entry in done.manifest["files"]:
        if str(entry["path"]).split("/", 1)[0] in file_roots():
            done.files += 1
            done.size += int(entry["size"])


def _check(done: Restored) -> None:
    """Row counts against the manifest, migrations against the manifest and the code (`migrate --check`)."""
    counts = database.current_rows()
    expected: dict[str, int] = done.manifest["row_counts"]
    wrong = [
        _("%(table)s：清单 %(expected)d 行，恢复后 %(found)s 行")
        % {"table": t, "expected": n, "found": counts.get(t, "—")}
        for t, n in expected.items()
        if counts.get(t) != n
    ]
    if wrong:
        raise BackupError(_("恢复后的行数与清单不符：\n%(wrong)s") % {"wrong": "\n".join(wrong)})
    executor = MigrationExecutor(connection)
    applied = executor.loader.applied_migrations
    recorded = {(app, name) for app, names in done.manifest["migrations"].items() for name in names}
    if set(applied) != recorded:
        raise BackupError(_("恢复后的迁移记录与清单不符"))
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    done.pending = [f"{m.app_label}.{m.name}" for m, _backwards in plan]
    done.unknown = sorted(f"{a}.{n}" for a, n in applied if (a, n) not in executor.loader.graph.nodes)
    if not done.pending and not done.unknown:
        try:
            _record(done)
        except DatabaseError as exc:  # the data is back and checked; say so rather than fail the restore
            done.unrecorded = str(exc)


def _record(done: Restored) -> None:
    """The restore's own audit entry, in the restored database (only when its schema is the code's)."""
    try:
        operator = getpass.getuser()
    except (KeyError, OSError):
        operator = ""
    manifest = done.manifest
    with transaction.atomic():
        record(
            SYSTEM,
            "backup.restore",
            object_type="backup",
            object_id=str(manifest["created_at"]),
            after={
                "created_at": manifest["created_at"],
                "manifest_sha256": done.checksum,
                "files": done.files,
                "os_user": operator,
            },
            summary=_("从 %(created)s 的备份恢复") % {"created": manifest["created_at"]},
        )
