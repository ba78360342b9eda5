"""XLSX of a frozen report's tables (openpyxl): a cover sheet 封面及说明 (title, body, year, format, scope,
notices), then one sheet per table — sheet names valid for Excel (≤31 characters, none of []:*?/\\, unique) —
with the grouped header cells merged, row labels indented by depth, and the cells as numbers: counts as
integers, 万元 and rates as decimals with a number format (values from the frozen report_json, so they equal
the JSON export)."""

from __future__ import annotations

import io
import re
from typing import Any

from django.utils.translation import gettext as _

from gongkai.exportsafe import set_text
from gongkai.reports.exports.common import Block, Table, cover, notices, tables

INVALID = re.compile(r"[\[\]:*?/\\]")
MAX_NAME = 31


def _put(ws: Any, row: int, column: int, value: Any) -> Any:
    """The cell at (row, column) holding ``value``: text always as a string cell, never a formula, without
    control characters (``gongkai.exportsafe.set_text``)."""
    cell = ws.cell(row=row, column=column)
    set_text(cell, value)
    return cell


def sheet_name(title: str, taken: set[str]) -> str:
    """An Excel-valid, unique sheet name for ``title``."""
    base = INVALID.sub("", title).strip("'") or _("表")
    name = base[:MAX_NAME]
    n = 2
    while name in taken:
        suffix = f"（{n}）"
        name = base[: MAX_NAME - len(suffix)] + suffix
        n += 1
    taken.add(name)
    return name


def _number_format(value: int | float, display: str) -> str:
    if isinstance(value, int) and "." not in display:
        return "0"
    decimals = len(display.partition(".")[2])
    return "0." + "0" * max(decimals, 2) if decimals else "0.00"


def render_xlsx(frozen: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    taken: set[str] = set()
    ws.title = sheet_name(_("封面及说明"), taken)
    _put(ws, 1, 1, frozen["title"])
    ws["A1"].font = Font(bold=True, size=14)
    for i, (label, value) in enumerate(cover(frozen), start=3):
        _put(ws, i, 1, label).font = Font(bold=True)
        _put(ws, i, 2, value)
    row = 4 + len(cover(frozen))
    for notice in notices(frozen):
        _put(ws, row, 1, notice)
        row += 1
    _put(ws, row, 1, _("每个统计表一个工作表；数字为数值，金额单位为万元。"))
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 60
    for table in tables(frozen):
        _sheet(wb.create_sheet(sheet_name(table.title, taken)), table, Alignment, Font)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet(ws: Any, table: Table, alignment: Any, font: Any) -> None:
    from openpyxl.utils import get_column_letter

    width = max(len(b.columns) for b in table.blocks) + 1
    _put(ws, 1, 1, table.title).font = font(bold=True, size=13)
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    row = 3
    for block in table.blocks:
        row = _block(ws, block, row, alignment, font) + 1
    ws.column_dimensions["A"].width = 60
    for c in range(2, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 14
    ws.freeze_panes = "B3"


def _block(ws: Any, block: Block, top: int, alignment: Any, font: Any) -> int:
    """Write one block from row ``top``; return the next free row."""
    head = len(block.header)
    bold = font(bold=True)
    centre = alignment(horizontal="center", vertical="center", wrap_text=True)
    _put(ws, top, 1, _("指标")).font = bold
    ws.cell(row=top, column=1).alignment = centre
    if head > 1:
        ws.merge_cells(start_row=top, start_column=1, end_row=top + head - 1, end_column=1)
    taken = {(r, 1) for r in range(top, top + head)}
    for r, header in enumerate(block.header, start=top):
        c = 1
        for h in header:
            while (r, c) in taken:
                c += 1
            r2, c2 = min(r + h.rowspan, top + head) - 1, c + h.colspan - 1
            cell = _put(ws, r, c, h.label)
            cell.font, cell.alignment = bold, centre
            if (r2, c2) != (r, c):
                ws.merge_cells(start_row=r, start_column=c, end_row=r2, end_column=c2)
            taken.update((rr, cc) for rr in range(r, r2 + 1) for cc in range(c, c2 + 1))
    row = top + head
    for line in block.lines:
        label = _put(ws, row, 1, line.label)
        label.alignment = alignment(indent=line.depth, wrap_text=True, vertical="center")
        if not line.displays:
            label.font = bold
        for c, (display, value) in enumerate(zip(line.displays, line.values, strict=False), start=2):
            cell = _put(ws, row, c, value if value is not None else display or None)
            if isinstance(value, int | float):
                cell.number_format = _number_format(value, display)
        row += 1
    return row
