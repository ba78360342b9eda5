"""gongkai import publications FILE [--encoding E] [--skip-bad] [--dry-run] — bulk import (docs/import-export.md).

The whole file is written in one transaction or nothing is; every bad row is listed with its line and column.
With ``--skip-bad`` the good rows are written and the bad ones listed (exit status 0); ``--dry-run`` only checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.audit.log import SYSTEM
from gongkai.catalog.importing import ImportFailed, ImportReport, Problem, import_publications

KINDS = ("publications",)


class Command(BaseCommand):
    help = "Import publications from CSV (UTF-8/GB18030), XLSX or JSON; idempotent by index number."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--encoding", help="CSV/JSON encoding (default: UTF-8 with or without BOM, else GB18030)"
        )
        parser.add_argument("--skip-bad", action="store_true", help="write the good rows, list the bad ones")
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("%(file)s：文件不存在") % {"file": path})
        try:
            report = import_publications(
                SYSTEM,
                path,
                encoding=options["encoding"],
                skip_bad=options["skip_bad"],
                dry_run=options["dry_run"],
                progress_stream=cast(TextIO, self.stderr._out),
            )
        except OSError as exc:
            raise CommandError(f"{path}：{exc.strerror}") from exc
        except ImportFailed as exc:
            self._list(_("警告"), exc.warnings)
            self._list(_("错误"), exc.problems)
            raise CommandError(
                _("%(file)s：%(n)d处错误，未写入任何数据") % {"file": path.name, "n": len(exc.problems)}
            ) from exc
        self._list(_("警告"), report.warnings)
        self._list(_("错误（已跳过）"), report.problems)
        self.stdout.write(self._summary(report, path))

    def _list(self, label: str, problems: list[Problem]) -> None:
        for problem in problems:
            self.stderr.write(f"{label}：{problem}")

    @staticmethod
    def _summary(report: ImportReport, path: Path) -> str:
        prefix = _("（试运行，未写入）") if report.dry_run else ""
        return f"{path.name}{prefix}：{report.summary()}"
