"""The official report formats as data: tables, rows and columns exactly as ``data/report-formats.json``
(a copy of the project's statutory reference; a test keeps them identical), and which format a year uses
(statutory-reference §3: 2014–2018 → 2014 table, 2019–2020 → 2019 trial, 2021 on → 2021)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "report-formats.json"
FORMAT_CODES = ("2014", "2019", "2021")


@dataclass(frozen=True)
class CellRef:
    table: str
    row: str
    column: str


@dataclass(frozen=True)
class TableSpec:
    table: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    block: str = ""

    def row_path(self, row: str) -> str:
        """Table 2 rows start with their block (report-formats.json 'about')."""
        return f"{self.block}/{row}" if self.block else row


@cache
def _raw() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def tables(fmt: str) -> tuple[TableSpec, ...]:
    specs = _raw()["formats"][fmt]["tables"]
    return tuple(
        TableSpec(t["table"], tuple(t["rows"]), tuple(t["columns"]), t.get("block", "")) for t in specs
    )


def sections(fmt: str) -> tuple[str, ...]:
    return tuple(_raw()["sections"][fmt])


def format_name(fmt: str) -> str:
    name: str = _raw()["formats"][fmt]["name"]
    return name


def all_cells(fmt: str) -> list[CellRef]:
    """Every cell of a format, in document order."""
    return [
        CellRef(spec.table, spec.row_path(row), column)
        for spec in tables(fmt)
        for row in spec.rows
        for column in spec.columns
    ]


def default_format_for_year(year: int) -> str:
    if year >= 2021:
        return "2021"
    if year >= 2019:
        return "2019"
    return "2014"
