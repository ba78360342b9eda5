"""What the checker produces, in the shape of `gongkai check-report --json` (report-checker issue, Deliver 1).

Every module of the checker speaks these types: reading gives lines, tables give cells, narrative gives figures,
rules give findings, and :class:`Result` is what the commands print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

Severity = Literal["error", "warning"]
FormatCode = Literal["2008-era", "2014", "2019", "2021", "narrative-only"]
Number = int | float | Decimal


@dataclass(frozen=True)
class Cell:
    """One table cell: for the national formats the labels of report-formats.json (paths joined by '/'),
    for any other table the title and labels as printed with whitespace removed. ``value`` None is blank."""

    table: str
    row: str
    column: str
    value: Number | None
    ambiguous: bool = False  # run-together digits the sum rules could not split: the value is not known

    def as_json(self) -> dict[str, Any]:
        return {"table": self.table, "row": self.row, "column": self.column, "value": _plain(self.value)}

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.table, self.row, self.column)


@dataclass(frozen=True)
class NarrativeFigure:
    """A figure the report's text states: ``text`` is the sentence as printed (a verbatim substring)."""

    text: str
    value: Number
    label: str

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "value": _plain(self.value), "label": self.label}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    cells: tuple[Cell, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "cells": [c.as_json() for c in self.cells],
        }


@dataclass
class Result:
    format: FormatCode
    body: str
    year: int | None
    cells: list[Cell] = field(default_factory=list)
    narrative: list[NarrativeFigure] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "body": self.body,
            "year": self.year,
            "cells": [c.as_json() for c in self.cells],
            "narrative": [n.as_json() for n in self.narrative],
            "findings": [f.as_json() for f in self.findings],
        }


def _plain(value: Number | None) -> int | float | None:
    """JSON numbers: integers stay integers, amounts keep their printed decimals as floats."""
    if value is None or isinstance(value, int):
        return value
    as_float = float(value)
    return (
        int(as_float)
        if isinstance(value, Decimal) and value == value.to_integral_value() and "." not in str(value)
        else as_float
    )
