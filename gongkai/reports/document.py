"""A report as a document: title, the format's sections with their rendered narrative, and the tables —
shared by the Markdown export and the web page."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from gongkai.reports.build import Report, ReportCell, report_json
from gongkai.reports.formats import sections
from gongkai.reports.narrative import render, template_for


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class TableLine:
    label: str
    depth: int
    cell: ReportCell | None  # None for a heading line that is not itself a cell


@dataclass(frozen=True)
class Table:
    title: str
    lines: tuple[TableLine, ...]


def title(report: Report) -> str:
    return _("%(org)s%(year)s年政府信息公开工作年度报告") % {"org": report.org.name, "year": report.year}


def existence_notice(report: Report) -> str:
    org = report.org
    ended = org.valid_to.isoformat() if org.valid_to else "—"
    return _("（%(org)s设立于%(start)s，撤销于%(end)s，%(year)s年度不存在。）") % {
        "org": org.name,
        "start": org.valid_from.isoformat(),
        "end": ended,
        "year": report.year,
    }


def narrative_sections(report: Report) -> list[Section]:
    values = report.displays()
    result = []
    for number, heading in enumerate(sections(report.format), start=1):
        text = render(
            template_for(report.org, report.year, report.format, number),
            values,
            report.org,
            report.year,
            report.scope,
        )
        paragraphs = tuple(p.strip() for p in text.split("\n") if p.strip())
        result.append(Section(heading, paragraphs))
    return result


def tables(report: Report) -> list[Table]:
    """Group cells by table; rows become indented lines, with heading lines for label-path prefixes that are
    not cells themselves (e.g. 一、主动公开情况)."""
    grouped: dict[str, list[ReportCell]] = {}
    for cell in report.cells:
        grouped.setdefault(cell.cell.table, []).append(cell)
    result = []
    for table_title, cells in grouped.items():
        rows = {c.cell.row for c in cells}
        emitted: set[str] = set()
        lines: list[TableLine] = []
        for cell in cells:
            parts = cell.cell.row.split("/")
            for depth in range(len(parts) - 1):
                prefix = "/".join(parts[: depth + 1])
                if prefix not in rows and prefix not in emitted:
                    lines.append(TableLine(parts[depth], depth, None))
                    emitted.add(prefix)
            lines.append(TableLine(parts[-1], len(parts) - 1, cell))
        result.append(Table(table_title, tuple(lines)))
    return result


def to_markdown(report: Report) -> str:
    out = [f"# {title(report)}", ""]
    if not report.org.existed_in(report.year):
        out += [existence_notice(report), ""]
    if report.is_empty():
        out += [_("（本年度没有任何记录，以下数字均为0。）"), ""]
    for section in narrative_sections(report):
        out += [f"## {section.heading}", ""]
        for paragraph in section.paragraphs:
            out += [paragraph, ""]
    for table in tables(report):
        column = table_column(table)
        out += [f"## {_('附表')}：{table.title}", "", f"| {_('指标')} | {column} |", "| --- | ---: |"]
        for line in table.lines:
            label = "　" * line.depth + line.label
            out.append(f"| {label} | {line.cell.display if line.cell else ''} |")
        out.append("")
    return "\n".join(out)


def table_column(table: Table) -> str:
    for line in table.lines:
        if line.cell is not None:
            return line.cell.cell.column
    return ""


def freeze(report: Report) -> dict[str, Any]:
    """Everything a published report shows, as plain data (the shapes the report template reads)."""
    return {
        "title": title(report),
        "report": {"is_empty": report.is_empty(), "year": report.year, "format": report.format},
        "existence_notice": "" if report.org.existed_in(report.year) else existence_notice(report),
        "sections": [
            {"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in narrative_sections(report)
        ],
        "tables": [
            {
                "title": t.title,
                "lines": [
                    {
                        "label": line.label,
                        "depth": line.depth,
                        "cell": {"display": line.cell.display} if line.cell else None,
                    }
                    for line in t.lines
                ],
            }
            for t in tables(report)
        ],
        "json": report_json(report),
    }


def checksum(frozen: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(frozen, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
