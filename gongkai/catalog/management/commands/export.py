"""gongkai export publications FILE [--body ORG] [--subtree] [--year Y] [--status S ...] [--encoding E]
[--no-mask] — export in the import's column mapping (docs/import-export.md); the format follows the suffix."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.audit.log import SYSTEM
from gongkai.catalog.exporting import ExportFailed, export_publications, publications_for
from gongkai.catalog.models import PublicationStatus
from gongkai.organisations.actions import OrganisationNotFound, resolve_org

KINDS = ("publications",)


class Command(BaseCommand):
    help = "Export publications to CSV (UTF-8 with BOM), XLSX or JSON in the import's column mapping."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file", type=Path)
        parser.add_argument("--body", help="organisation code, credit code or name")
        parser.add_argument("--subtree", action="store_true", help="with --body: the body and all below it")
        parser.add_argument("--year", type=int, help="items published in this year")
        parser.add_argument("--status", nargs="+", choices=PublicationStatus.values, default=[])
        parser.add_argument("--encoding", help="CSV encoding (default utf-8-sig, e.g. gb18030)")
        parser.add_argument(
            "--no-mask",
            action="store_true",
            help="keep ID-card and phone numbers (recorded in the audit log)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        body = None
        if options["body"]:
            try:
                body = resolve_org(options["body"], options["year"])
            except OrganisationNotFound as exc:
                raise CommandError(str(exc)) from exc
        elif options["subtree"]:
            raise CommandError(_("--subtree 须与 --body 一起使用"))
        qs = publications_for(
            body, subtree=options["subtree"], year=options["year"], statuses=options["status"]
        )
        path: Path = options["file"]
        try:
            count = export_publications(
                SYSTEM,
                qs,
                path,
                encoding=options["encoding"],
                mask=not options["no_mask"],
                progress_stream=cast(TextIO, self.stderr._out),
            )
        except (ExportFailed, OSError) as exc:
            raise CommandError(f"{path}：{exc}") from exc
        self.stdout.write(_("已导出%(n)d条到%(file)s") % {"n": count, "file": path})
