"""The manifest of a backup folder and its verification (docs/backup.md, "What a backup holds").

A backup folder holds the database copy, the data directory's files under ``media/`` and ``outbox/``,
``manifest.json`` (what was copied: every file's relative path, size and SHA-256, row counts, migrations) and
``manifest.sha256`` (the SHA-256 of ``manifest.json``, in ``sha256sum`` format). Verification recomputes them
all: it detects a damaged, truncated, missing, extra or edited file, including an edited manifest. It is a
check against accidents, not a signature: whoever can write to the backup can also rewrite both checksums.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
FORMAT = 1
# Top-level folders of a backup that hold files of the data directory (docs/backup.md).
FILE_FOLDERS = ("media", "outbox")
_CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message (Chinese) says why and what to do."""


@dataclass(frozen=True)
class FileEntry:
    path: str  # relative to the backup folder, with "/"
    size: int
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_file(source: Path, target: Path) -> tuple[int, str]:
    """Copy ``source`` to ``target`` (parents created, flushed to disk); its size and SHA-256, computed from the
    bytes as they were read, so that the checksum describes exactly what was written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as reader, target.open("xb") as writer:
        while chunk := reader.read(_CHUNK):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    return size, digest.hexdigest()


def describe(folder: Path, relative: str) -> FileEntry:
    path = folder / relative
    return FileEntry(relative, path.stat().st_size, sha256_of(path))


def write_manifest(folder: Path, manifest: dict[str, Any]) -> str:
    """Write ``manifest.json`` and its checksum file; return the checksum."""
    data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8") + b"\n"
    checksum = hashlib.sha256(data).hexdigest()
    for name, content in ((MANIFEST, data), (MANIFEST_SUM, f"{checksum}  {MANIFEST}\n".encode("ascii"))):
        with (folder / name).open("xb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    return checksum


def safe_relative(raw: object) -> str | None:
    """``raw`` if it is a plain relative path inside one of the backup's file folders (or a top-level database
    file name), else None: a manifest can never make a restore write outside its targets."""
    if not isinstance(raw, str) or not raw or "\\" in raw or "\x00" in raw:
        return None
    path = PurePosixPath(raw)
    if path.is_absolute() or any(part in ("", ".", "..") for part in raw.split("/")):
        return None
    if len(path.parts) == 1:
        return raw if raw.startswith("database.") else None
    return raw if path.parts[0] in FILE_FOLDERS else None


def manifest_checksum(folder: Path) -> str:
    return sha256_of(folder / MANIFEST)


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a backup that passed ``verify`` (raises ``BackupError`` otherwise)."""
    problems = verify(folder)
    if problems:
        raise BackupError(
            _("备份未通过校验，不能使用：\n%(problems)s")
            % {"problems": "\n".join(f"  - {p}" for p in problems)}
        )
    loaded: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    return loaded


def verify(folder: Path) -> list[str]:
    """Every problem of the backup in ``folder``, one sentence each naming the file; empty when it is whole."""
    if not folder.is_dir():
        return [_("%(folder)s 不是文件夹") % {"folder": folder}]
    if not (folder / MANIFEST).is_file():
        return [_("缺少 %(name)s：这不是 gongkai 备份，或备份没有完成") % {"name": MANIFEST}]
    problems = _manifest_problems(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [*problems, _("%(name)s 无法解析：%(error)s") % {"name": MANIFEST, "error": exc}]
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return [*problems, _("%(name)s 的格式版本不是 %(format)d") % {"name": MANIFEST, "format": FORMAT}]
    return problems + _file_problems(folder, manifest)


def _manifest_problems(folder: Path) -> list[str]:
    sum_file = folder / MANIFEST_SUM
    if not sum_file.is_file():
        return [_("缺少 %(name)s（清单的校验和）") % {"name": MANIFEST_SUM}]
    expected = sum_file.read_text(encoding="ascii", errors="replace").split(maxsplit=1)[:1]
    if expected != [manifest_checksum(folder)]:
        return [_("%(name)s 与其校验和不符：清单被改动或损坏") % {"name": MANIFEST}]
    return []


def _file_problems(folder: Path, manifest: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    listed: set[str] = set()
    entries = manifest.get("files")
    for entry in entries if isinstance(entries, list) else []:
        relative = safe_relative(entry.get("path") if isinstance(entry, dict) else None)
        if relative is None or not isinstance(entry, dict):
            problems.append(_("清单中有不允许的路径：%(entry)r") % {"entry": entry})
            continue
        listed.add(relative)
        path = folder / relative
        if not path.is_file():
            problems.append(_("缺少文件：%(path)s") % {"path": relative})
        elif path.stat().st_size != entry.get("size") or sha256_of(path) != entry.get("sha256"):
            problems.append(_("文件已改变（大小或 SHA-256 与清单不符）：%(path)s") % {"path": relative})
    database = manifest.get("database")
    if not isinstance(database, dict) or database.get("file") not in listed:
        problems.append(_("清单没有列出数据库文件"))
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative not in listed and relative not in (MANIFEST, MANIFEST_SUM):
            problems.append(_("清单中没有的文件：%(path)s") % {"path": relative})
    return problems
