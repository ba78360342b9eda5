"""Where every label and every figure sits in a submission workbook — one computation shared by the template
writer and the parser, so that an upload is checked against exactly the layout that was generated.

The layout follows ``report-formats.json`` (via ``gongkai.reports.formats.tables``): one sheet per table (the
blocks of Table 2 one below the other), the official row labels split at "/" into grouped label columns and the
official column labels split at "/" into grouped header rows (e.g. 法人或其他组织 over its five columns).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from openpyxl.utils import get_column_letter

from gongkai.reports.formats import CellRef, TableSpec, tables
from gongkai.reports.registry import Statistic, Unit, statistics_for_format
from gongkai.reports.stats_table2 import CHANGE

TEMPLATE_MAGIC = "gongkai-submission"
TEMPLATE_VERSION = "1"
META_SHEET = "填报模板信息"
ROW_LABEL_HEADER = "项目"
FIRST_ROW = 4  # row 1: the table's title, row 2: the body and year, row 3: blank

NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Label:
    row: int
    col: int
    text: str
    last_row: int
    last_col: int

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.col)}{self.row}"

    @property
    def merged(self) -> bool:
        return (self.row, self.col) != (self.last_row, self.last_col)

    @property
    def range(self) -> str:
        return f"{self.coordinate}:{get_column_letter(self.last_col)}{self.last_row}"


@dataclass(frozen=True)
class Entry:
    """An input cell: the figure of one registry statistic (a PERCENT one is computed, not entered)."""

    row: int
    col: int
    statistic: Statistic
    cell: CellRef

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.col)}{self.row}"

    @property
    def computed(self) -> bool:
        return self.statistic.unit is Unit.PERCENT

    @property
    def may_be_negative(self) -> bool:
        """Only Table 2's 本年增/减 may be negative (statutory-reference §3.4 rule 6)."""
        return self.cell.column == CHANGE


@dataclass(frozen=True)
class SheetLayout:
    name: str
    table: str
    width: int
    labels: tuple[Label, ...]
    entries: tuple[Entry, ...]


def sheet_name(table: str) -> str:
    """表二/表三/表四 for the numbered tables of the 2019 and 2021 formats, else the table's name (Excel allows
    31 characters and no []:*?/\\)."""
    match = re.match(f"^([{NUMERALS}]+)、", table)
    if match:
        return f"表{match.group(1)}"
    return re.sub(r"[\[\]:*?/\\]", "", table)[:31]


def _spans(paths: list[tuple[str, ...]], depth: int) -> list[tuple[int, int, int, str, bool]]:
    """Grouped labels: (level, first index, last index, text, fills to the last level). A path that is also
    the prefix of following paths (a row and its 其中 sub-rows) stands alone; its sub-rows are grouped under a
    repeat of its label."""
    spans = []
    for level in range(depth):
        i = 0
        while i < len(paths):
            path = paths[i]
            if level >= len(path):
                i += 1
                continue
            if len(path) == level + 1:
                spans.append((level, i, i, path[level], True))
                i += 1
                continue
            j = i
            while (
                j + 1 < len(paths)
                and len(paths[j + 1]) > level + 1
                and paths[j + 1][: level + 1] == path[: level + 1]
            ):
                j += 1
            spans.append((level, i, j, path[level], False))
            i = j + 1
    return spans


def _block(
    spec: TableSpec, top: int, stats: dict[CellRef, Statistic]
) -> tuple[list[Label], list[Entry], int]:
    """The labels and entries of one table block starting at row ``top``; returns the next free row."""
    labels: list[Label] = []
    if spec.block:
        labels.append(Label(top, 1, spec.block, top, 1))
        top += 1
    rows = [tuple(r.split("/")) for r in spec.rows]
    columns = [tuple(c.split("/")) for c in spec.columns]
    row_depth, col_depth = max(map(len, rows)), max(map(len, columns))
    labels.append(Label(top, 1, ROW_LABEL_HEADER, top + col_depth - 1, row_depth))
    for level, first, last, text, fill in _spans(columns, col_depth):
        row = top + level
        labels.append(
            Label(
                row, row_depth + 1 + first, text, top + col_depth - 1 if fill else row, row_depth + 1 + last
            )
        )
    data_top = top + col_depth
    for level, first, last, text, fill in _spans(rows, row_depth):
        labels.append(
            Label(data_top + first, level + 1, text, data_top + last, row_depth if fill else level + 1)
        )
    entries = []
    for i, row_label in enumerate(spec.rows):
        for j, column in enumerate(spec.columns):
            ref = CellRef(spec.table, spec.row_path(row_label), column)
            if ref not in stats:
                raise ValueError(f"no statistic for {ref}")
            entries.append(Entry(data_top + i, row_depth + 1 + j, stats[ref], ref))
    return labels, entries, data_top + len(rows) + 1


@cache
def layout(fmt: str) -> tuple[SheetLayout, ...]:
    """The sheets of a format's submission workbook (statutory-reference §3: the official tables)."""
    stats = {s.cells[fmt]: s for s in statistics_for_format(fmt)}
    grouped: dict[str, list[TableSpec]] = {}
    for spec in tables(fmt):
        grouped.setdefault(spec.table, []).append(spec)
    sheets = []
    for table, specs in grouped.items():
        labels, entries, top = [], [], FIRST_ROW
        for spec in specs:
            block_labels, block_entries, top = _block(spec, top, stats)
            labels += block_labels
            entries += block_entries
        width = max(max(lb.last_col for lb in labels), max(e.col for e in entries))
        title = Label(1, 1, table, 1, width)
        sheets.append(SheetLayout(sheet_name(table), table, width, (title, *labels), tuple(entries)))
    return tuple(sheets)


def locate(fmt: str) -> dict[CellRef, tuple[str, str]]:
    """{report cell: (sheet, coordinate)} — to name the workbook cell of a consistency finding."""
    return {e.cell: (sheet.name, e.coordinate) for sheet in layout(fmt) for e in sheet.entries}
