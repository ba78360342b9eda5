"""Backup and restore (issue 10, defect 11 and deliverable 7): restoring the database alone left published report
files 404 and submission downloads 500. `gongkai backup` copies the database and the data directory's files
with a checksummed manifest (never the keys); `gongkai restore` verifies, restores and checks; a restored site
serves the published file byte for byte. The commands run in subprocesses, each site with a data directory of
its own, so that the SQLite database is a real file as in production (docs/backup.md)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
import pytest

from gongkai.backups import database
from gongkai.backups.manifest import BackupError, verify, write_manifest

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))


def run(
    data_dir: Path, *args: str, url: str = "", module: str = "gongkai.cli"
) -> subprocess.CompletedProcess[str]:
    """``gongkai ARGS`` (or another module) as an operator would run it, on the site in ``data_dir``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DATABASE_URL"))}
    env |= {
        "GONGKAI_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        "PYTHONPATH": str(ROOT),
    }
    if url:
        env["DATABASE_URL"] = url
    return subprocess.run(  # our own interpreter and module
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


def scenario(data_dir: Path, *args: str, url: str = "") -> Any:
    out = data_dir.parent / f"{uuid.uuid4().hex}.json"
    ok(run(data_dir, args[0], str(out), *args[1:], url=url, module="tests.backups.scenario"))
    return json.loads(out.read_text(encoding="utf-8"))


@dataclass
class Site:
    data_dir: Path
    backup: Path
    made: dict[str, Any]
    url: str = ""


def make_site(base: Path, url: str = "") -> Site:
    """A migrated site with a published report and an uploaded submission, and its backup."""
    site = Site(base / "site", base / "backup", {}, url)
    ok(run(site.data_dir, "migrate", "-v0", url=url))
    site.made = scenario(site.data_dir, "seed", url=url)
    ok(run(site.data_dir, "backup", str(site.backup), url=url))
    return site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The SQLite site (its tests are vendor-independent apart from the copy itself: the PostgreSQL run of the
    suite runs the PostgreSQL round trip below instead)."""
    if ON_POSTGRES:
        pytest.skip("SQLite backups: covered by the SQLite run of the suite")
    return make_site(tmp_path_factory.mktemp("sqlite"))


def restored_site(site: Site, target: Path, url: str = "") -> str:
    """Restore ``site``'s backup into the new data dir ``target``, its keys carried over apart (docs/backup.md)."""
    target.mkdir()
    shutil.copytree(site.data_dir / "keys", target / "keys")
    return ok(run(target, "restore", str(site.backup), url=url))


def assert_audit_log_intact(target: Path, url: str = "") -> None:
    """The restored audit log: its hash chain verifies and its triggers still refuse a raw UPDATE."""
    ok(run(target, "audit", "verify", url=url))
    assert scenario(target, "tamper", url=url)["refused"]


def assert_serves_the_same_files(site: Site, target: Path, url: str = "") -> None:
    made = site.made
    answers = scenario(target, "fetch", made["report_url"], made["submission_url"], url=url)
    for answer, name in zip(answers, ("report", "submission"), strict=True):
        original = (site.data_dir / made[f"{name}_path"]).read_bytes()
        assert answer["status"] == 200, answer["url"]
        assert bytes.fromhex(answer["body"]) == original


def test_the_backup_holds_the_database_the_files_and_a_manifest_but_no_key(site: Site) -> None:
    manifest = json.loads((site.backup / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["vendor"] == "sqlite" and manifest["database"]["file"] == "database.sqlite3"
    assert manifest["row_counts"]["reports_reportversionfile"] == 2
    assert manifest["row_counts"]["submissions_submission"] == 1
    assert "0001_initial" in manifest["migrations"]["reports"]
    files = {f["path"]: f for f in manifest["files"]}
    assert files[site.made["report_path"]]["sha256"] == site.made["report_sha256"]
    assert files[site.made["submission_path"]]["sha256"] == site.made["submission_sha256"]
    assert manifest["missing_media"] == []
    keys = [p.read_bytes().strip() for p in (site.data_dir / "keys").iterdir()]
    assert len(keys) == 2
    for path in site.backup.rglob("*"):
        assert not path.relative_to(site.backup).as_posix().startswith("keys")
        if path.is_file():
            assert not any(key in path.read_bytes() for key in keys), path
    assert "完整" in ok(run(site.data_dir, "backup", "verify", str(site.backup)))


def test_a_restore_into_a_fresh_data_dir_serves_the_published_file_byte_for_byte(
    site: Site, tmp_path: Path
) -> None:
    summary = restored_site(site, tmp_path / "restored")
    assert "与清单一致" in summary and "迁移状态与当前代码一致" in summary
    assert_serves_the_same_files(site, tmp_path / "restored")
    assert_audit_log_intact(tmp_path / "restored")


def test_a_backup_runs_while_the_site_holds_a_write_transaction(site: Site, tmp_path: Path) -> None:
    """SQLite's online backup reads one consistent state (WAL mode): it neither waits for a writer nor copies
    what the writer has not committed."""
    writer = sqlite3.connect(site.data_dir / "gongkai.sqlite3", isolation_level=None)
    try:
        assert writer.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("CREATE TABLE scratch (x)")
        writer.execute("INSERT INTO scratch VALUES (1)")
        ok(run(site.data_dir, "backup", str(tmp_path / "backup")))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    assert "scratch" not in manifest["row_counts"]
    assert manifest["row_counts"]["auth_user"] == 2


def test_a_changed_media_byte_is_refused_by_verify_and_by_restore(site: Site, tmp_path: Path) -> None:
    backup = tmp_path / "backup"
    shutil.copytree(site.backup, backup)
    damaged = backup / site.made["report_path"]
    data = bytearray(damaged.read_bytes())
    data[10] ^= 1
    damaged.write_bytes(bytes(data))
    (backup / site.made["submission_path"]).unlink()
    result = run(tmp_path / "x", "restore", "--verify-only", str(backup))
    assert result.returncode == 1
    assert site.made["report_path"] in result.stderr and site.made["submission_path"] in result.stderr
    result = run(tmp_path / "target", "restore", str(backup))
    assert result.returncode == 1 and site.made["report_path"] in result.stderr
    assert not (tmp_path / "target" / "gongkai.sqlite3").exists()
    assert not (tmp_path / "target" / "media").exists()


def test_an_edited_manifest_is_refused_by_verify_and_by_restore(site: Site, tmp_path: Path) -> None:
    backup = tmp_path / "backup"
    shutil.copytree(site.backup, backup)
    manifest = backup / "manifest.json"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('"size": ', '"size": 1', 1), encoding="utf-8"
    )
    result = run(tmp_path / "x", "backup", "verify", str(backup))
    assert result.returncode == 1 and "manifest.json" in result.stderr
    result = run(tmp_path / "target", "restore", str(backup))
    assert result.returncode == 1 and "manifest.json" in result.stderr
    assert not (tmp_path / "target" / "gongkai.sqlite3").exists()


def test_a_target_with_data_is_refused_unless_forced_and_its_files_are_kept_aside(
    site: Site, tmp_path: Path
) -> None:
    target = tmp_path / "target"
    shutil.copytree(site.data_dir, target)
    result = run(target, "restore", str(site.backup))
    assert result.returncode == 1
    assert "auth_user 2 行" in result.stderr and "--force" in result.stderr and "media" in result.stderr
    summary = ok(run(target, "restore", "--force", str(site.backup)))
    assert "media.before-restore-" in summary
    (kept,) = target.glob("media.before-restore-*")
    assert (kept / site.made["report_path"].removeprefix("media/")).is_file()
    assert (target / site.made["report_path"]).read_bytes() == (
        site.data_dir / site.made["report_path"]
    ).read_bytes()


def test_a_backup_refuses_a_folder_that_is_not_empty_and_leaves_nothing_behind(
    site: Site, tmp_path: Path
) -> None:
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "old.txt").write_text("earlier", encoding="utf-8")
    result = run(site.data_dir, "backup", str(tmp_path / "backup"))
    assert result.returncode == 1 and "不是空文件夹" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup"]
    assert [p.name for p in (tmp_path / "backup").iterdir()] == ["old.txt"]


# In-process checks: the manifest's paths, the PostgreSQL client's version -----------------------------------


def test_verify_refuses_a_manifest_that_points_outside_the_backup(tmp_path: Path) -> None:
    (tmp_path / "database.sqlite3").write_bytes(b"")
    entry = {"path": "../../etc/cron.d/evil", "size": 0, "sha256": ""}
    write_manifest(tmp_path, {"format": 1, "database": {"file": "database.sqlite3"}, "files": [entry]})
    problems = verify(tmp_path)
    assert any("不允许的路径" in p and "evil" in p for p in problems)


def fake_tool(folder: Path, name: str, version: str) -> str:
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version} (Debian)'\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_pg_dump_missing_or_older_than_the_server_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "candidates", lambda name: [])
    with pytest.raises(BackupError, match=r"找不到 pg_dump.*postgresql-client-16"):
        database.find_tool("pg_dump", 16)
    old = fake_tool(tmp_path, "pg_dump", "15.20")
    monkeypatch.setattr(database, "candidates", lambda name: [old])
    with pytest.raises(BackupError, match=r"pg_dump 版本过旧（pg_dump \(PostgreSQL\) 15.20"):
        database.find_tool("pg_dump", 16)
    assert database.find_tool("pg_dump", 15) == (old, "pg_dump (PostgreSQL) 15.20 (Debian)")


# PostgreSQL -----------------------------------------------------------------------------------------------------


@pytest.fixture
def two_databases() -> Iterator[tuple[str, str]]:
    """Two new databases on the server of DATABASE_URL (dropped afterwards): a site and a restore target."""
    import psycopg

    params = dj_database_url.parse(DATABASE_URL)
    names = [f"{params['NAME']}_backup_{role}_{uuid.uuid4().hex[:8]}" for role in ("src", "dst")]
    admin = psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    try:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        base = DATABASE_URL.rsplit("/", 1)[0]
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL=postgres://… (pg_dump/pg_restore round trip)")
def test_postgres_round_trip_into_a_second_database(two_databases: tuple[str, str], tmp_path: Path) -> None:
    source, target = two_databases
    site = make_site(tmp_path, source)
    manifest = json.loads((site.backup / "manifest.json").read_text(encoding="utf-8"))
    assert (
        manifest["database"]["vendor"] == "postgresql" and manifest["database"]["file"] == "database.pgdump"
    )
    assert manifest["row_counts"]["reports_reportversionfile"] == 2
    summary = restored_site(site, tmp_path / "restored", target)
    assert "与清单一致" in summary and "迁移状态与当前代码一致" in summary
    assert_serves_the_same_files(site, tmp_path / "restored", target)
    # Restoring over a site that has data needs --force; pg_restore --clean then replaces it (audit table too).
    assert run(tmp_path / "restored", "restore", str(site.backup), url=target).returncode == 1
    ok(run(tmp_path / "restored", "restore", "--force", str(site.backup), url=target))
    assert_serves_the_same_files(site, tmp_path / "restored", target)
    assert_audit_log_intact(tmp_path / "restored", target)
