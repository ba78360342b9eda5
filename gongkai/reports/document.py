"""A report as a document: title, the format's sections with their rendered narrative, and the tables —
shared by the Markdown export and the web page."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from gongkai.reports.build import Report, ReportCell, report_json
from gongkai.reports.charts import chart_data
from gongkai.reports.formats import CellRef, sections
from gongkai.reports.formats import tables as format_tables
from gongkai.reports.narrative import render, template_for


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class TableLine:
    label: str
    depth: int
    cells: tuple[ReportCell | None, ...] = ()  # one per column of its block; () for a heading line

    @property
    def cell(self) -> ReportCell | None:
        """The value of a one-column line (the 2014 tables); None for a heading line."""
        return self.cells[0] if self.cells else None


@dataclass(frozen=True)
class HeaderCell:
    label: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class TableBlock:
    """Rows sharing one set of columns (Table 2 prints a header per block of art 20)."""

    columns: tuple[str, ...]
    lines: tuple[TableLine, ...]

    @property
    def header(self) -> tuple[tuple[HeaderCell, ...], ...]:
        return header_rows(self.columns)


@dataclass(frozen=True)
class Table:
    title: str
    blocks: tuple[TableBlock, ...]
    in_section: bool = False  # printed inside the section of the same heading (2019/2021), else an annex

    @property
    def lines(self) -> tuple[TableLine, ...]:
        return tuple(line for block in self.blocks for line in block.lines)


def header_rows(columns: tuple[str, ...]) -> tuple[tuple[HeaderCell, ...], ...]:
    """Column headings as rows of a table head: a path such as 法人或其他组织/商业企业 puts its group over its
    columns (colspan) and the other headings span both rows."""
    if not any("/" in c for c in columns):
        return (tuple(HeaderCell(c) for c in columns),)
    top: list[HeaderCell] = []
    bottom: list[HeaderCell] = []
    for column in columns:
        group, _sep, leaf = column.rpartition("/")
        if not group:
            top.append(HeaderCell(column, rowspan=2))
        elif top and top[-1].label == group and top[-1].rowspan == 1:
            top[-1] = HeaderCell(group, colspan=top[-1].colspan + 1)
            bottom.append(HeaderCell(leaf))
        else:
            top.append(HeaderCell(group))
            bottom.append(HeaderCell(leaf))
    return tuple(top), tuple(bottom)


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
    """The format's tables in document order, one block per set of columns (``report-formats.json``); rows
    become indented lines, with heading lines for label-path prefixes that are not rows themselves (e.g.
    一、主动公开情况, 第二十条第（一）项)."""
    by_ref = {c.cell: c for c in report.cells}
    specs = format_tables(report.format)
    grouped: dict[str, list[TableBlock]] = {}
    rows: dict[str, set[str]] = {}
    for spec in specs:
        rows.setdefault(spec.table, set()).update(spec.row_path(r) for r in spec.rows)
    emitted: dict[str, set[str]] = {}
    for spec in specs:
        done = emitted.setdefault(spec.table, set())
        lines: list[TableLine] = []
        for row in spec.rows:
            parts = spec.row_path(row).split("/")
            for depth in range(len(parts) - 1):
                prefix = "/".join(parts[: depth + 1])
                if prefix not in rows[spec.table] and prefix not in done:
                    lines.append(TableLine(parts[depth], depth))
                    done.add(prefix)
            path = "/".join(parts)
            cells = tuple(by_ref.get(CellRef(spec.table, path, column)) for column in spec.columns)
            lines.append(TableLine(parts[-1], len(parts) - 1, cells))
        grouped.setdefault(spec.table, []).append(TableBlock(spec.columns, tuple(lines)))
    headings = set(sections(report.format))
    return [Table(title, tuple(blocks), title in headings) for title, blocks in grouped.items()]


def to_markdown(report: Report) -> str:
    """The report as Markdown: the .md export of its frozen form (one renderer for drafts and snapshots)."""
    from gongkai.reports.exports.markdown import render_markdown

    return render_markdown(freeze(report, charts=False))


def freeze(report: Report, *, charts: bool = True) -> dict[str, Any]:
    """Everything a published report shows, as plain data (the shapes the report template reads). ``charts``
    False leaves out the chart data (its five-year trend builds earlier years' reports) for Markdown."""
    return {
        "title": title(report),
        "report": {"is_empty": report.is_empty(), "year": report.year, "format": report.format},
        "existence_notice": "" if report.org.existed_in(report.year) else existence_notice(report),
        "sections": [
            {"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in narrative_sections(report)
        ],
        "tables": [_freeze_table(t) for t in tables(report)],
        "json": report_json(report),
        "charts": chart_data(report) if charts else [],  # drawn by the exporters (gongkai.reports.exports)
    }


def _freeze_table(table: Table) -> dict[str, Any]:
    return {
        "title": table.title,
        "in_section": table.in_section,
        "blocks": [
            {
                "columns": list(block.columns),
                "header": [
                    [{"label": h.label, "colspan": h.colspan, "rowspan": h.rowspan} for h in row]
                    for row in block.header
                ],
                "lines": [
                    {
                        "label": line.label,
                        "depth": line.depth,
                        "cells": [{"display": c.display} if c else None for c in line.cells],
                    }
                    for line in block.lines
                ],
            }
            for block in table.blocks
        ],
    }


def checksum(frozen: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(frozen, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
