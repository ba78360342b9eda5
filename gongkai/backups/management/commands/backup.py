"""gongkai backup DIR | gongkai backup verify DIR

``backup DIR`` writes a backup of the database and the data directory's files into DIR, a new or empty folder
(docs/backup.md); ``backup verify DIR`` recomputes every checksum of a backup and exits with status 1 naming each
missing, changed or unexpected file (``gongkai restore --verify-only DIR`` does the same)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongkai.backups import service
from gongkai.backups.manifest import BackupError, verify


def report_verification(command: BaseCommand, folder: Path) -> None:
    """Print every problem of the backup in ``folder`` and fail, or say that it is whole."""
    problems = verify(folder.absolute())
    for problem in problems:
        command.stderr.write(f"  - {problem}")
    if problems:
        raise CommandError(
            _("备份 %(folder)s 未通过校验：%(n)d 个问题") % {"folder": folder, "n": len(problems)}
        )
    command.stdout.write(_("备份 %(folder)s 完整：每个文件的 SHA-256 与清单一致") % {"folder": folder})


class Command(BaseCommand):
    # A backup or a restore must not depend on the rest of the site loading cleanly (URLs, templates).
    requires_system_checks: list[str] = []
    help = gettext_noop(
        "备份数据库和数据目录中的文件（媒体文件、通知发件箱）到新的空文件夹 DIR，不含密钥；"
        "gongkai backup verify DIR 校验一份备份（docs/backup.md）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "first", metavar="DIR|verify", help=_("备份文件夹；verify 表示校验其后的备份文件夹")
        )
        parser.add_argument("second", nargs="?", metavar="DIR", help=_("要校验的备份文件夹"))

    def handle(self, *args: Any, **options: Any) -> None:
        words = [w for w in (options["first"], options["second"]) if w is not None]
        if len(words) == 2 and words[0] == "verify":
            report_verification(self, Path(words[1]))
            return
        if len(words) != 1 or words[0] == "verify":
            raise CommandError(
                _(
                    "用法：gongkai backup DIR，或 gongkai backup verify DIR（备份到名为 verify 的文件夹请写 ./verify）"
                )
            )
        try:
            manifest = service.make_backup(Path(words[0]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            raise CommandError(_("数据库错误：%(error)s") % {"error": exc}) from exc
        self._summary(Path(words[0]), manifest)

    def _summary(self, folder: Path, manifest: dict[str, Any]) -> None:
        files = manifest["files"][1:]
        self.stdout.write(
            _(
                "备份已写入 %(folder)s：%(vendor)s 数据库 %(tables)d 张表 %(rows)d 行，文件 %(files)d 个（%(mb).1f MB）。"
            )
            % {
                "folder": folder,
                "vendor": manifest["database"]["vendor"],
                "tables": len(manifest["row_counts"]),
                "rows": sum(manifest["row_counts"].values()),
                "files": len(files),
                "mb": sum(f["size"] for f in files) / 1e6,
            }
        )
        for path in manifest["missing_media"]:
            self.stderr.write(_("警告：数据库提到的文件不在媒体目录中：%(path)s") % {"path": path})
        self.stdout.write(
            _("备份不含密钥：GONGKAI_FIELD_KEY 须另行保管，没有它备份中的证件号码和电话号码无法读取。")
        )
