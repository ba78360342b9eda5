"""gongkai restore DIR [--force] [--verify-only]

Verifies the backup in DIR, then restores it over the configured database and the data directory's files
(docs/backup.md, "Restore onto a new machine"); refuses a target that already holds data unless --force (the
database is then overwritten; the files already there are kept aside, renamed ``media.before-restore-…``).
Then checks the row counts against the manifest and the migrations against the code. Stop the web server and
the worker first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongkai.backups import service
from gongkai.backups.management.commands.backup import report_verification
from gongkai.backups.manifest import BackupError


class Command(BaseCommand):
    # A backup or a restore must not depend on the rest of the site loading cleanly (URLs, templates).
    requires_system_checks: list[str] = []
    help = gettext_noop(
        "校验并恢复 DIR 中的备份到当前配置的数据库和数据目录；目标已有数据时须加 --force（docs/backup.md）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", metavar="DIR", help=_("备份文件夹"))
        parser.add_argument("--force", action="store_true", help=_("覆盖已有数据的目标数据库"))
        parser.add_argument("--verify-only", action="store_true", help=_("只校验备份，不恢复"))

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        if options["verify_only"]:
            report_verification(self, folder)
            return
        try:
            done = service.restore(folder, force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            raise CommandError(_("数据库错误：%(error)s") % {"error": exc}) from exc
        self._summary(folder, done)

    def _summary(self, folder: Path, done: service.Restored) -> None:
        manifest = done.manifest
        self.stdout.write(
            _(
                "已从 %(folder)s 恢复（备份时间 %(created)s，gongkai %(version)s）：数据库 %(tables)d 张表 "
                "%(rows)d 行，与清单一致；文件 %(files)d 个（%(mb).1f MB）。"
            )
            % {
                "folder": folder,
                "created": manifest["created_at"],
                "version": manifest["gongkai_version"],
                "tables": len(manifest["row_counts"]),
                "rows": sum(manifest["row_counts"].values()),
                "files": done.files,
                "mb": done.size / 1e6,
            }
        )
        for path in done.set_aside:
            self.stdout.write(_("原有文件已移到 %(path)s（确认无误后可删除）") % {"path": path})
        if done.pending:
            self.stdout.write(
                _("备份来自较早的版本：%(n)d 个迁移尚未应用（%(first)s……），请运行 gongkai migrate")
                % {"n": len(done.pending), "first": done.pending[0]}
            )
        if done.unknown:
            self.stderr.write(
                _(
                    "警告：备份来自较新的版本，当前代码不认识这些迁移：%(names)s；请安装不低于 %(version)s 的 gongkai"
                )
                % {"names": "、".join(done.unknown), "version": manifest["gongkai_version"]}
            )
        if not done.pending and not done.unknown:
            self.stdout.write(_("迁移状态与当前代码一致。"))
        if done.unrecorded:
            self.stderr.write(
                _("警告：恢复已完成，但未能写入审计记录：%(error)s") % {"error": done.unrecorded}
            )
        self.stdout.write(
            _("密钥不在备份中：请把原来的 GONGKAI_FIELD_KEY 和 GONGKAI_SECRET_KEY 配置到本机。")
        )
