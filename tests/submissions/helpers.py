"""Filling submission templates the way a body's clerk would (openpyxl), for the submission tests."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from openpyxl import load_workbook

from gongkai.reports.formats import CellRef
from gongkai.reports.stats_requests import CARRIED_OUT, NEW, T3, TOTAL
from gongkai.submissions.layout import locate

GRANTED = "三、本年度办理结果/（一）予以公开"
PERSON, ALL = "自然人", "总计"

# A consistent Table 3 (statutory-reference §3.4 rules 1-3): 3 new requests from individuals, 2 granted, 1
# carried over into next year.
TABLE3_2021: dict[tuple[str, str, str], int] = {
    (T3, NEW, PERSON): 3,
    (T3, NEW, ALL): 3,
    (T3, GRANTED, PERSON): 2,
    (T3, GRANTED, ALL): 2,
    (T3, TOTAL, PERSON): 2,
    (T3, TOTAL, ALL): 2,
    (T3, CARRIED_OUT, PERSON): 1,
    (T3, CARRIED_OUT, ALL): 1,
}


def where(fmt: str, table: str, row: str, column: str) -> tuple[str, str]:
    """(sheet, coordinate) of a report cell in the template."""
    return locate(fmt)[CellRef(table, row, column)]


def fill(template: bytes, fmt: str, values: Mapping[tuple[str, str, str], Any]) -> bytes:
    """The template with report cells (table, row, column) set to ``values``; other cells keep their 0."""
    wb = load_workbook(io.BytesIO(template))
    for (table, row, column), value in values.items():
        sheet, coordinate = where(fmt, table, row, column)
        wb[sheet][coordinate] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def edit(template: bytes, changes: Mapping[tuple[str, str], Any], drop_sheet: str = "") -> bytes:
    """The template with raw cells {(sheet, coordinate): value} changed (or a sheet removed)."""
    wb = load_workbook(io.BytesIO(template))
    for (sheet, coordinate), value in changes.items():
        wb[sheet][coordinate] = value
    if drop_sheet:
        wb.remove(wb[drop_sheet])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
