"""gongkai hotline-import FILE --org ORG

Import 12345 tickets from the platform's export (CSV in UTF-8/GB18030, or XLSX) for the body ORG (its org code;
a row may name a body of its subtree in 承办机关代码). Every row is checked first: a bad row prints its row
number, field and reason and nothing is written (docs/hotline.md)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongkai.hotline.importer import ImportRefused, import_tickets
from gongkai.organisations.models import Organisation


def _operator() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


class Command(BaseCommand):
    help = gettext_noop("导入12345热线工单（CSV或XLSX）：逐行检查，有错误则全部不导入。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("CSV或XLSX文件"))
        parser.add_argument("--org", required=True, help=_("承办机关代码"))

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organisation.objects.filter(org_code=options["org"]).order_by("-id").first()
        if org is None:
            raise CommandError(_("没有代码为“%(c)s”的机关") % {"c": options["org"]})
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("无法读取文件：%(e)s") % {"e": exc}) from exc
        try:
            result = import_tickets(_operator(), org, data, path.name)
        except ImportRefused as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(_("文件有%(n)d处错误，未导入任何工单") % {"n": len(exc.problems)}) from exc
        self.stdout.write(
            _("已导入%(created)d件工单，%(same)d件此前已导入且无变化")
            % {"created": result.created, "same": result.unchanged}
        )
