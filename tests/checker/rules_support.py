"""Helpers for the narrative and rules tests: a stand-in Document (opencc t2s character by character, full-width
digits and letters to ASCII, same length as the text) and a Result built from an expected file's cells, so
these tests do not depend on the tables extraction."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import opencc

from gongkai.checker.types import Cell, Result

DATA = Path(__file__).resolve().parent / "data"
SEED = Path(__file__).resolve().parents[2] / "gongkai" / "demo" / "data" / "xuchang-2014-annual-report.txt"


@dataclass
class StandInDocument:
    text: str
    simplified: str
    source: str = "txt"


@cache
def _t2s() -> Any:
    return opencc.OpenCC("t2s")


def simplify(text: str) -> str:
    out = []
    for ch in text:
        converted = _t2s().convert(ch)
        if len(converted) != 1:
            converted = ch
        code = ord(converted)
        if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            converted = chr(code - 0xFEE0)
        out.append(converted)
    return "".join(out)


def document(text: str) -> StandInDocument:
    return StandInDocument(text=text, simplified=simplify(text))


def training_document(name: str) -> StandInDocument:
    return document((DATA / f"{name}.txt").read_text(encoding="utf-8"))


def seed_document() -> StandInDocument:
    return document(SEED.read_text(encoding="utf-8"))


def expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"{name}.expected.json").read_text(encoding="utf-8"))
    return data


def _number(value: Any) -> int | Decimal | None:
    if value is None or isinstance(value, int):
        return value
    return Decimal(str(value))


def expected_result(name: str) -> Result:
    data = expected(name)
    cells = [Cell(c["table"], c["row"], c["column"], _number(c["value"])) for c in data["cells"]]
    return Result(data["format"], data["body"], data["year"], cells)


def pingtan_2021() -> Result:
    """pingtan-2021's cells: its `|` table rows read in the order of the 2021 format (the layout of
    pingtan-2022.expected.json, same format and body)."""
    template = expected("pingtan-2022")["cells"]
    numbers: list[str] = []
    for line in (DATA / "pingtan-2021.txt").read_text(encoding="utf-8").splitlines():
        if "|" in line:
            numbers += [t.strip() for t in line.split("|") if re.fullmatch(r"-?\d+(?:\.\d+)?", t.strip())]
    assert len(numbers) == len(template)
    cells = [
        Cell(c["table"], c["row"], c["column"], Decimal(v) if "." in v else int(v))
        for c, v in zip(template, numbers, strict=True)
    ]
    return Result("2021", "平潭综合实验区", 2021, cells)


def replace_value(result: Result, table: str, row: str, column: str, value: Any) -> Result:
    """A copy of ``result`` with one cell changed (a planted defect)."""
    cells = [
        Cell(c.table, c.row, c.column, value) if (c.table, c.row, c.column) == (table, row, column) else c
        for c in result.cells
    ]
    assert cells != result.cells, (table, row, column)
    return Result(result.format, result.body, result.year, cells)


def cell_keys(cells: Any) -> set[tuple[str, str, str]]:
    return {(c["table"], c["row"], c["column"]) if isinstance(c, dict) else c.key for c in cells}
