"""Reading a frozen report (``gongkai.reports.document.freeze``) for the exporters: its tables in a uniform
shape (blocks of columns, header rows, lines with their full row path and their JSON value), its notices and
its cover facts. Works from the frozen dict only, so a published snapshot re-exports identically."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from gongkai.reports.formats import FORMAT_CODES, format_name


@dataclass(frozen=True)
class Header:
    label: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Line:
    label: str
    depth: int
    path: str  # the row as in report_json ("三、本年度办理结果/（一）予以公开")
    displays: tuple[str, ...]  # one per column; () for a heading line
    values: tuple[int | float | None, ...]  # the JSON values of the same cells (None if unknown)


@dataclass(frozen=True)
class Block:
    columns: tuple[str, ...]
    header: tuple[tuple[Header, ...], ...]
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Table:
    title: str
    in_section: bool
    blocks: tuple[Block, ...]


def notices(frozen: dict[str, Any]) -> list[str]:
    """The notices printed under the title: the body did not exist that year; a year without data."""
    out = []
    if frozen.get("existence_notice"):
        out.append(str(frozen["existence_notice"]))
    if frozen.get("report", {}).get("is_empty"):
        out.append(empty_notice())
    return out


def empty_notice() -> str:
    return _("（本年度没有任何记录，以下数字均为0。）")


def annex_heading(title: str) -> str:
    return f"{_('附表')}：{title}"


def value_index(frozen: dict[str, Any]) -> dict[tuple[str, str, str], int | float]:
    cells = frozen.get("json", {}).get("cells", [])
    return {(c["table"], c["row"], c["column"]): c["value"] for c in cells}


def tables(frozen: dict[str, Any]) -> list[Table]:
    """The frozen tables with each line's row path rebuilt from the depth of the lines above it (heading lines
    are the path prefixes that are not rows themselves). A table frozen before tables had blocks (one value
    column, ``lines`` with ``cell``) is read as one block with the column 数值."""
    index = value_index(frozen)
    result = []
    for table in frozen.get("tables", []):
        raw_blocks = table.get("blocks")
        if raw_blocks is None:
            raw_blocks = [
                {
                    "columns": [_("数值")],
                    "lines": [
                        {**line, "cells": [line["cell"]] if line.get("cell") else []}
                        for line in table.get("lines", [])
                    ],
                }
            ]
        blocks = []
        stack: list[str] = []  # kept across blocks: a heading line is printed once per table
        for raw in raw_blocks:
            columns = tuple(raw["columns"])
            header = tuple(
                tuple(Header(h["label"], h.get("colspan", 1), h.get("rowspan", 1)) for h in row)
                for row in raw.get("header") or [[{"label": c} for c in columns]]
            )
            lines = []
            for line in raw["lines"]:
                depth = int(line["depth"])
                stack = [*stack[:depth], line["label"]]
                path = "/".join(stack)
                cells = line.get("cells") or []
                displays = tuple((c or {}).get("display", "") for c in cells)
                values = tuple(index.get((table["title"], path, col)) for col in columns) if cells else ()
                lines.append(Line(line["label"], depth, path, displays, values))
            blocks.append(Block(columns, header, tuple(lines)))
        result.append(Table(table["title"], bool(table.get("in_section")), tuple(blocks)))
    return result


def layout(frozen: dict[str, Any]) -> list[tuple[str, list[str], list[Table]]]:
    """The document in reading order: (heading, paragraphs, tables) per section, then the annex tables (with
    the heading 附表：title and no paragraphs) — the order of ``document.to_markdown``."""
    all_tables = tables(frozen)
    out: list[tuple[str, list[str], list[Table]]] = []
    for section in frozen.get("sections", []):
        inside = [t for t in all_tables if t.in_section and t.title == section["heading"]]
        out.append((section["heading"], list(section["paragraphs"]), inside))
    for table in all_tables:
        if not table.in_section:
            out.append((annex_heading(table.title), [], [table]))
    return out


def cover(frozen: dict[str, Any]) -> list[tuple[str, str]]:
    """Title, body, year, format and scope as (label, value) pairs."""
    data = frozen.get("json", {})
    report = frozen.get("report", {})
    fmt = str(report.get("format") or data.get("format", ""))
    scope = str(data.get("scope", ""))
    scopes = {"own": _("本机关"), "subtree": _("本机关及所属单位（汇总）")}
    return [
        (_("标题"), str(frozen.get("title", ""))),
        (_("机关"), str(data.get("org", ""))),
        (_("机关代码"), str(data.get("org_code", ""))),
        (_("年度"), str(report.get("year") or data.get("year", ""))),
        (_("报告格式"), format_name(fmt) if fmt in FORMAT_CODES else fmt),
        (_("统计范围"), scopes.get(scope, scope)),
    ]


def charts(frozen: dict[str, Any]) -> list[dict[str, Any]]:
    charts: list[dict[str, Any]] = frozen.get("charts") or []
    return charts
