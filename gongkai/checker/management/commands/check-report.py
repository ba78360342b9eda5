"""gongkai check-report FILE [--json] [--previous FILE]: read a published annual report (.txt, .html, .docx,
.pdf; Simplified or Traditional) and print its format, body, year, every table cell, the figures its text
states and every violation of the consistency rules (report-checker issue, Deliver 1; docs/checker.md).

``--json`` prints exactly ``Result.as_json()``. A file that cannot be read gives one line on stderr and exit
code 2, never a traceback."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from gongkai.checker import engine
from gongkai.checker.types import Number, Result

EXIT_UNREADABLE = 2


class Command(BaseCommand):
    help = "Check a published OGI annual report: format, body, year, table cells, narrative figures, findings"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the report (.txt, .html, .docx, .pdf)")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--previous", metavar="FILE", help="last year's report, for the cross-year rules")

    def handle(self, *args: Any, **options: Any) -> None:
        from gongkai.checker.reading import UnreadableReport

        try:
            result = engine.check_path(options["file"], options.get("previous"))
        except UnreadableReport as exc:
            self._fail(exc.message)
        except Exception as exc:
            self._fail(_("无法检查该报告：%(error)s") % {"error": str(exc) or type(exc).__name__})
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
        else:
            self.stdout.write(render(result))

    def _fail(self, message: str) -> None:
        line = " ".join(message.split())
        self.stderr.write(line)
        sys.exit(EXIT_UNREADABLE)


def _value(value: Number | None, ambiguous: bool = False) -> str:
    if ambiguous:
        return _("（无法确定）")
    if value is None:
        return _("（空白）")
    return str(value)


def render(result: Result) -> str:
    """The result for a person: identity, cells table by table, narrative figures, findings."""
    lines = [
        _("格式：%(format)s") % {"format": result.format},
        _("机关：%(body)s") % {"body": result.body or _("（未识别）")},
        _("年度：%(year)s") % {"year": result.year if result.year is not None else _("（未识别）")},
        "",
        _("表格单元格（%(count)s）") % {"count": len(result.cells)},
    ]
    table = None
    for cell in result.cells:
        if cell.table != table:
            table = cell.table
            lines.append(f"  {table}")
        lines.append(f"    {cell.row} | {cell.column}: {_value(cell.value, cell.ambiguous)}")
    lines += ["", _("正文数字（%(count)s）") % {"count": len(result.narrative)}]
    for figure in result.narrative:
        lines.append(f"  {figure.value}  {figure.label}")
        lines.append(f"      {figure.text}")
    errors = sum(1 for f in result.findings if f.severity == "error")
    lines += [
        "",
        _("发现的问题（错误 %(errors)s，提示 %(warnings)s）")
        % {"errors": errors, "warnings": len(result.findings) - errors},
    ]
    for finding in result.findings:
        severity = _("错误") if finding.severity == "error" else _("提示")
        lines.append(f"  [{severity}] {finding.rule}: {finding.message}")
        for cell in finding.cells:
            lines.append(
                f"      {cell.table} / {cell.row} / {cell.column}: {_value(cell.value, cell.ambiguous)}"
            )
    if not result.findings:
        lines.append("  " + _("未发现问题"))
    return "\n".join(lines)
